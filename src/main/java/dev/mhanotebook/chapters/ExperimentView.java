package dev.mhanotebook.chapters;

import java.util.List;

/**
 * An experiment as the page renders it: a form whose controls carry the defaults, and the
 * defaults again as JSON in {@code data-defaults} for the script.
 *
 * @param id           unique within the chapter; the form's DOM id is {@code experiment-<id>}
 * @param kind         a name from {@link Experiments#kinds()}
 * @param defaultsJson every parameter of the kind with its default, as a JSON object
 */
public record ExperimentView(String id, String kind, String title, String endpoint,
        String defaultsJson, List<Control> controls) {

    public String domId() {
        return "experiment-" + id;
    }

    /** One labelled control, with a place for the server's message about it. */
    public record Control(String name, String inputId, String label, String help, String type,
            String value, Integer min, Integer max, List<Choice> choices) {

        static Control of(String experimentId, Experiments.Parameter p, String value) {
            List<Choice> choices = p.options().stream()
                    .map(o -> new Choice(o.value(), o.label(), o.value().equals(value)))
                    .toList();
            return new Control(p.name(), "experiment-" + experimentId + "-" + p.name(), p.label(),
                    p.help(), p.type(), value, p.min(), p.max(), choices);
        }

        public String errorId() {
            return inputId + "-error";
        }

        public String helpId() {
            return inputId + "-help";
        }

        public boolean isText() {
            return "text".equals(type);
        }

        public boolean isNumber() {
            return "number".equals(type);
        }

        public boolean isSelect() {
            return "select".equals(type);
        }
    }

    /** One option of a select control. */
    public record Choice(String value, String label, boolean selected) {
    }
}
