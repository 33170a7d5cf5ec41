package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionSpec;
import dev.mhanotebook.engine.CausalMask;
import dev.mhanotebook.engine.CostModel;
import dev.mhanotebook.engine.Implementation;
import dev.mhanotebook.engine.LengthSweep;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Long computations: submitted to the {@link JobQueue}, followed through server-sent events,
 * cancelled by DELETE or by closing the page.
 */
@Path("/api/v1/jobs")
@Tag(name = "jobs")
public class JobsResource {
    static final int SWEEP_MAX_MODEL_DIM = 256;
    static final int SWEEP_MAX_HEADS = 16;

    private final JobQueue queue;
    private final ComputeLimits limits;

    public JobsResource(JobQueue queue, ComputeLimits limits) {
        this.queue = queue;
        this.limits = limits;
    }

    /** The answer of a submission. */
    public record Submitted(String id, String events, List<Planned> plan) {
    }

    /**
     * One length of a sweep as planned: run, or refused by the path's budget with what it would
     * need.
     */
    public record Planned(String implementation, int length, int blockSize, boolean runs,
            long neededBytes, long neededFlops, String reason) {
    }

    /** The summary sent with the {@code done} event. */
    public record SweepResult(List<Planned> plan, List<LengthSweep.Point> points) {
    }

    @POST
    @Path("/length-sweep")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Measure peak bytes and time against sequence length",
            description = """
                    Queues a job that runs self-attention (B = 1) at lengths doubling from \
                    minLength to maxLength on the vectorized and the tiled path, each length only \
                    while it fits that path's budget (see POST /api/v1/attention); the tiled path \
                    uses a block size chosen for the length (32 up to 256 tokens, 256 up to 2,048, \
                    512 beyond). Each measured point reports FLOPs, the cost model's peak bytes, \
                    the peak measured from the arrays actually alive and the forward pass's time. \
                    Answers 202 with the job's id and the plan; follow \
                    GET /api/v1/jobs/{id}/events. \
                    Long jobs run in their own queue (one at a time by default), apart from the \
                    interactive experiments; 503 when switched off (mha.jobs.enabled=false), \
                    429 when the queue is full.""")
    @APIResponse(responseCode = "202", description = "Queued: {id, events, plan}")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "The job queue is full")
    @APIResponse(responseCode = "503", description = "Long jobs are switched off")
    public Response lengthSweep(LengthSweepRequest request) {
        if (!queue.enabled()) {
            throw new JobQueue.DisabledException();
        }
        List<Planned> plan = plan(Bodies.require(request));
        long seed = request == null || request.seed() == null ? 42 : request.seed();
        int modelDim = modelDim(request);
        int heads = heads(request, modelDim);
        Job job = queue.submit("length-sweep", (j, context) -> {
            List<Planned> runs = plan.stream().filter(Planned::runs).toList();
            double total = 0;
            for (Planned p : runs) {
                total += p.neededFlops();
            }
            double done = 0;
            List<LengthSweep.Point> points = new ArrayList<>();
            for (Planned p : runs) {
                double from = done / total;
                double to = (done + p.neededFlops()) / total;
                AttentionSpec spec = spec(p.length(), modelDim, heads, p.blockSize(), seed);
                LengthSweep.Point point = LengthSweep.measure(spec,
                        Implementation.valueOf(p.implementation().toUpperCase(Locale.ROOT)),
                        context.control(from, to));
                points.add(point);
                done += p.neededFlops();
                context.point(String.format(Locale.ROOT, "%s L=%d: %.0f ms, %s measured peak",
                        p.implementation(), p.length(), point.forwardMillis(),
                        Units.bytes(point.measuredPeakBytes())), point, to);
            }
            return new SweepResult(plan, points);
        });
        return Response.status(202).type(MediaType.APPLICATION_JSON)
                .entity(new Submitted(job.id(), "/api/v1/jobs/" + job.id() + "/events", plan))
                .build();
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Follow a job",
            description = """
                    Server-sent events, each a JSON JobEvent {type, jobId, fraction, message, \
                    data}: everything that happened so far, then new events as they happen. The \
                    stream ends after done, cancelled or error. Closing the last stream of a \
                    running job cancels it.""")
    @APIResponse(responseCode = "200", description = "The event stream")
    @APIResponse(responseCode = "404", description = "No such job")
    public Multi<JobEvent> events(@PathParam("id") String id) {
        Job job = require(id);
        return Multi.createFrom().<JobEvent>emitter(job::subscribe);
    }

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel a job",
            description = "The job stops at its next checkpoint and sends a cancelled event.")
    @APIResponse(responseCode = "202", description = "Cancelling: {id, state}")
    @APIResponse(responseCode = "404", description = "No such job")
    public Response cancel(@PathParam("id") String id) {
        Job job = require(id);
        job.cancel("cancelled by the reader");
        return Response.status(202).type(MediaType.APPLICATION_JSON)
                .entity(new JobState(job.id(), job.state().name().toLowerCase(Locale.ROOT)))
                .build();
    }

    /** A job's id and state. */
    public record JobState(String id, String state) {
    }

    private Job require(String id) {
        Job job = queue.find(id);
        if (job == null) {
            throw new NotFoundException("no job " + id);
        }
        return job;
    }

    /** Every length of the sweep on both paths, each marked run or refused by the budget. */
    List<Planned> plan(LengthSweepRequest r) {
        int modelDim = modelDim(r);
        int heads = heads(r, modelDim);
        int minLength = r.minLength() == null ? 256 : r.minLength();
        int maxLength = r.maxLength() == null ? 8192 : r.maxLength();
        if (minLength < 16 || Integer.bitCount(minLength) != 1) {
            throw new BadInputException("minLength", "minLength must be a power of two of at least "
                    + "16 (minLength=" + minLength + ")");
        }
        if (maxLength < minLength || maxLength > limits.maxLength()) {
            throw new BadInputException("maxLength", "maxLength must be between minLength and "
                    + limits.maxLength() + " (minLength=" + minLength + ", maxLength=" + maxLength
                    + ")");
        }
        List<Planned> plan = new ArrayList<>();
        for (Implementation impl : List.of(Implementation.VECTORIZED, Implementation.TILED)) {
            ComputeLimits.Budget budget = limits.budget(impl);
            for (int len = minLength; len <= maxLength; len *= 2) {
                int bs = impl == Implementation.TILED ? LengthSweep.blockSizeFor(len) : 32;
                AttentionSpec spec = spec(len, modelDim, heads, bs, 42);
                long bytes = CostModel.peakBytes(spec, impl);
                long flops = CostModel.flops(spec, Implementation.VECTORIZED);
                String reason = null;
                if (bytes > budget.maxBytes()) {
                    reason = "needs " + Units.bytes(bytes) + ", past the budget of "
                            + Units.bytes(budget.maxBytes());
                } else if (CostModel.flops(spec, impl) > budget.maxFlops()) {
                    reason = "needs " + Units.count(flops) + " FLOPs, past the budget of "
                            + Units.count(budget.maxFlops());
                }
                plan.add(new Planned(impl.name().toLowerCase(Locale.ROOT), len, bs, reason == null,
                        bytes, flops, reason));
            }
        }
        return plan;
    }

    private static int modelDim(LengthSweepRequest r) {
        int d = r == null || r.modelDim() == null ? 64 : r.modelDim();
        if (d < 8 || d > SWEEP_MAX_MODEL_DIM) {
            throw new BadInputException("modelDim", "modelDim must be between 8 and "
                    + SWEEP_MAX_MODEL_DIM + " (modelDim=" + d + ")");
        }
        return d;
    }

    private static int heads(LengthSweepRequest r, int modelDim) {
        int h = r == null || r.heads() == null ? 8 : r.heads();
        if (h < 1 || h > SWEEP_MAX_HEADS) {
            throw new BadInputException("heads", "heads must be between 1 and " + SWEEP_MAX_HEADS
                    + " (heads=" + h + ")");
        }
        if (modelDim % h != 0) {
            throw new BadInputException("heads", "heads must divide modelDim (modelDim=" + modelDim
                    + ", heads=" + h + ")");
        }
        return h;
    }

    private static AttentionSpec spec(int len, int modelDim, int heads, int blockSize, long seed) {
        return new AttentionSpec(1, len, len, modelDim, heads, heads, modelDim / heads,
                CausalMask.NONE, 1 / Math.sqrt((double) modelDim / heads), 0, false, seed,
                blockSize, 0, 0);
    }
}
