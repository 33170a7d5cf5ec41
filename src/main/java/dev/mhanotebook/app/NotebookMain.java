package dev.mhanotebook.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the server. Before anything loads ND4J it gives JavaCPP its defaults, unless set on the
 * command line: one folder for the native libraries it unpacks (about 450 MB; Quarkus renames
 * jars in its packaged app, which would otherwise unpack them again under each name) and bounds on
 * off-heap memory (an unset maxbytes with a large maxphysicalbytes has crashed the JVM,
 * deeplearning4j#9671).
 */
@QuarkusMain
public class NotebookMain {
    public static void main(String... args) {
        defaultProperty("org.bytedeco.javacpp.cachedir",
                System.getProperty("user.home") + "/.cache/mha-notebook/javacpp");
        defaultProperty("org.bytedeco.javacpp.maxbytes", "3g");
        defaultProperty("org.bytedeco.javacpp.maxphysicalbytes", "6g");
        Quarkus.run(args);
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
