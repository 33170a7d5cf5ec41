package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionEngine;
import dev.mhanotebook.engine.AttentionResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/v1/export/notebook}: the same request as {@code POST /api/v1/attention},
 * answered with a Jupyter notebook that recomputes it in NumPy from the exact inputs and weights.
 */
@Path("/api/v1/export/notebook")
@Tag(name = "export")
public class NotebookResource {
    static final String IPYNB = "application/x-ipynb+json";

    private final AttentionRequests requests;
    private final ComputeGate gate;

    public NotebookResource(ComputeLimits limits, ComputeGate gate) {
        this.requests = new AttentionRequests(limits);
        this.gate = gate;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(IPYNB)
    @Operation(summary = "Export an experiment as a Jupyter notebook",
            description = """
                    Takes the body of POST /api/v1/attention and returns an .ipynb (nbformat 4.5) \
                    whose cells hold the exact inputs, weights, masks and dropout multipliers the \
                    engine used, recompute the ten steps with NumPy and check the output and the \
                    attention weights against the server's within 1e-5. At most 200,000 numbers.""")
    @APIResponse(responseCode = "200", description = "The notebook, as an attachment")
    @APIResponse(responseCode = "400", description = "Bad input or too large: {error, field}")
    public Response export(AttentionRequest request) {
        AttentionRequests.Prepared p = requests.prepare(request);
        long numbers = NotebookWriter.numbers(p);
        if (numbers > NotebookWriter.MAX_NUMBERS) {
            throw new BadInputException("queryLength", String.format(Locale.ROOT,
                    "a notebook of this request would hold %,d numbers, more than the %,d an export "
                            + "carries; use smaller sizes", numbers, NotebookWriter.MAX_NUMBERS));
        }
        AttentionResult result = gate.run(control -> AttentionEngine.compute(p.spec(), p.inputs(),
                p.weights(), p.implementation(), control));
        return Response.ok(NotebookWriter.write(request, p, result), IPYNB)
                .header("Content-Disposition", "attachment; filename=\"mha-notebook.ipynb\"")
                .build();
    }
}
