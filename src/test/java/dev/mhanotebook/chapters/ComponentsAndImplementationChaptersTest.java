package dev.mhanotebook.chapters;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The chapters "Components", "Implementation" and "Attention in a trained model" render with
 * their experiments and at least three exercises each; every step experiment shows a step the engine traces, and every
 * exercise an experiment waits for exists on the same page.
 */
@QuarkusTest
class ComponentsAndImplementationChaptersTest {
    private static final Set<String> TRACE_STEPS = Set.of("q", "k", "v", "splitHeads", "scores",
            "scaled", "masked", "attention", "dropout", "headOutputs", "concat", "output");
    private static final Pattern EXERCISE = Pattern.compile("data-exercise-id=\"([a-z0-9-]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ChapterLibrary library;

    @Test
    void bothChaptersRenderWithTheirExperimentsAndExercises() throws Exception {
        assertChapter("components",
                List.of("step", "step", "masks", "step", "step", "step"));
        assertChapter("implementation", List.of("implementations", "softmax", "scale-sweep",
                "dropout", "cost-sweep"));
    }

    @Test
    void trainedModelRendersWithItsExperimentsAndExercises() throws Exception {
        assertChapter("trained-model", List.of("head-view", "model-view", "head-importance",
                "similarity"));
        Chapter trained = library.find("trained-model").orElseThrow();
        assertEquals("Attention in a trained model", trained.title());
        for (ExperimentView e : trained.experiments()) {
            assertEquals(e.kind().equals("head-importance") ? "/api/v1/model/head-importance"
                    : e.kind().equals("similarity") ? "/api/v1/model/similarity"
                    : "/api/v1/model/attention", Experiments.kind(e.kind()).orElseThrow()
                            .endpoint(), e.id());
        }
    }

    @Test
    void componentsFollowsScaledDotProductAttentionAndPrecedesImplementation() {
        Chapter components = library.find("components").orElseThrow();
        assertEquals("scaled-dot-product-attention",
                library.neighbour(components, -1).orElseThrow().slug());
        assertEquals("implementation", library.neighbour(components, 1).orElseThrow().slug());
    }

    private void assertChapter(String slug, List<String> kinds) throws Exception {
        Chapter chapter = library.find(slug).orElseThrow();
        assertEquals(kinds, chapter.experiments().stream().map(ExperimentView::kind).toList(),
                slug);
        String html = given().get(chapter.path()).then().statusCode(200).extract().asString();
        Matcher m = EXERCISE.matcher(html);
        List<String> exercises = new java.util.ArrayList<>();
        while (m.find()) {
            exercises.add(m.group(1));
        }
        assertTrue(exercises.size() >= 3, slug + " has at least 3 exercises: " + exercises);
        for (ExperimentView e : chapter.experiments()) {
            assertTrue(Experiments.kind(e.kind()).isPresent(), e.kind());
            assertTrue(html.contains("id=\"" + e.domId() + "\""), e.domId());
            JsonNode defaults = JSON.readTree(e.defaultsJson());
            if ("step".equals(e.kind())) {
                String step = defaults.get("step").asText();
                assertTrue(TRACE_STEPS.contains(step), e.id() + " shows step " + step);
            }
            String reveal = defaults.path("reveal").asText("");
            if (!reveal.isEmpty()) {
                assertTrue(exercises.contains(reveal), e.id() + " waits for exercise " + reveal);
            }
        }
    }
}
