package dev.mhanotebook.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests that the build writes to {@code target/kubernetes/kubernetes.yml}:
 * probes on the health endpoints, the port, resources that fit the JVM's sizing, and the
 * autoscaler. Runs after {@code package} (failsafe), since the manifests are a build output.
 */
class KubernetesManifestIT {
    static final Map<String, JsonNode> BY_KIND = new HashMap<>();

    @BeforeAll
    static void read() throws Exception {
        Path file = Path.of(System.getProperty("project.build.directory", "target"),
                "kubernetes", "kubernetes.yml");
        assertTrue(Files.exists(file), file + " is missing: run ./mvnw package first");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class)
                .readValues(file.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.has("kind")) {
                    BY_KIND.put(doc.get("kind").asText(), doc);
                }
            }
        }
    }

    static JsonNode container() {
        JsonNode containers = BY_KIND.get("Deployment").at("/spec/template/spec/containers");
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    @Test
    void deploymentProbesTheHealthEndpoints() {
        JsonNode c = container();
        assertEquals("/q/health/live", c.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", c.at("/readinessProbe/httpGet/path").asText());
        assertEquals(8080, c.at("/livenessProbe/httpGet/port").asInt());
        assertEquals(8080, c.at("/readinessProbe/httpGet/port").asInt());
        // Native libraries and the warm-up take a while: the start-up probe must wait for them.
        assertTrue(c.at("/startupProbe/failureThreshold").asInt()
                * c.at("/startupProbe/periodSeconds").asInt() >= 120);
    }

    @Test
    void noResourceNeedsAnOperator() {
        assertTrue(!BY_KIND.containsKey("ServiceMonitor"), "a ServiceMonitor needs its CRD");
    }

    @Test
    void deploymentAndServiceExposePort8080() {
        assertEquals(8080, container().at("/ports/0/containerPort").asInt());
        JsonNode port = BY_KIND.get("Service").at("/spec/ports/0");
        assertEquals(8080, port.get("targetPort").asInt());
    }

    @Test
    void resourcesFitTheJvmSizing() {
        JsonNode r = container().get("resources");
        assertEquals("1", r.at("/requests/cpu").asText());
        assertEquals("3Gi", r.at("/requests/memory").asText());
        assertEquals("2", r.at("/limits/cpu").asText());
        assertEquals("4Gi", r.at("/limits/memory").asText());
        Map<String, String> env = new HashMap<>();
        container().get("env").forEach(e -> env.put(e.get("name").asText(),
                e.path("value").asText()));
        // Heap 1 GiB + off-heap 2 GiB + the JVM's own memory stays under the 4 GiB limit.
        assertTrue(env.get("JAVA_TOOL_OPTIONS").contains("-Xmx1g"));
        assertTrue(env.get("JAVA_TOOL_OPTIONS").contains("maxphysicalbytes=3584m"));
        assertEquals("2", env.get("MHA_COMPUTE_CONCURRENCY"));
    }

    @Test
    void autoscalerScalesTheDeployment() {
        JsonNode hpa = BY_KIND.get("HorizontalPodAutoscaler");
        assertEquals(BY_KIND.get("Deployment").at("/metadata/name").asText(),
                hpa.at("/spec/scaleTargetRef/name").asText());
        assertTrue(hpa.at("/spec/maxReplicas").asInt() > 1);
    }
}
