package dev.mhanotebook.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.mhanotebook.engine.ComputeCancelledException;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * One place that turns every refusal into JSON {@code {"error", "field"}}: bad input 400, a body
 * that cannot be read 400, busy 429 with Retry-After, past the time limit 503.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response badInput(BadInputException e) {
        return json(400, new ApiError(e.getMessage(), e.field()));
    }

    /**
     * Listed type by type because quarkus-rest-jackson maps some of them itself, with an empty
     * body; a mapper for the exact type takes precedence over the built-in one.
     */
    @ServerExceptionMapper({JsonProcessingException.class, JsonParseException.class,
            JsonMappingException.class, MismatchedInputException.class, InvalidFormatException.class,
            UnrecognizedPropertyException.class, StreamConstraintsException.class,
            InvalidDefinitionException.class})
    public Response unreadable(Exception e) {
        return json(400, describe((JsonProcessingException) e));
    }

    @ServerExceptionMapper
    public Response busy(ComputeGate.BusyException e) {
        return Response.status(429).type(MediaType.APPLICATION_JSON)
                .header("Retry-After", e.retryAfterSeconds())
                .entity(new ApiError(e.getMessage(), null)).build();
    }

    @ServerExceptionMapper
    public Response tooSlow(ComputeCancelledException e) {
        return Response.status(503).type(MediaType.APPLICATION_JSON).header("Retry-After", 5)
                .entity(new ApiError(e.getMessage(), null)).build();
    }

    @ServerExceptionMapper
    public Response jobsOff(JobQueue.DisabledException e) {
        return json(503, new ApiError(e.getMessage(), null));
    }

    @ServerExceptionMapper
    public Response outOfMemory(ComputeGate.OutOfMemoryException e) {
        return Response.status(503).type(MediaType.APPLICATION_JSON).header("Retry-After", 10)
                .entity(new ApiError(e.getMessage(), null)).build();
    }

    /**
     * Anything else is our fault: a 500 that still answers JSON, says nothing of the internals,
     * and is logged for us. The fuzz test asserts it never happens.
     */
    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        Log.errorf(e, "unexpected error");
        return json(500, new ApiError("the server failed on this request; it has been logged", null));
    }

    /** Keeps the framework's own statuses (404, 405, 413, 415) but always with a JSON body. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        // The JSON reader wraps what Jackson could not read in a bare 400: say what it was.
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException j) {
                return json(400, describe(j));
            }
        }
        String message = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed here";
            case 406 -> "this resource answers application/json";
            case 413 -> "the request body is too large";
            case 415 -> "send the body as application/json";
            default -> e.getMessage();
        };
        return json(status, new ApiError(message, null));
    }

    static ApiError describe(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException
                || e.getCause() instanceof StreamConstraintsException) {
            return new ApiError("the body breaks a JSON limit: " + firstLine(e.getOriginalMessage()), null);
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return new ApiError("unknown field \"" + u.getPropertyName() + "\"; known fields: "
                    + u.getKnownPropertyIds().stream().map(Object::toString).sorted()
                            .collect(Collectors.joining(", ")), path(u));
        }
        if (e instanceof com.fasterxml.jackson.core.exc.InputCoercionException c) {
            return new ApiError("a number is out of range: " + firstLine(c.getOriginalMessage()), null);
        }
        if (e instanceof InvalidFormatException f) {
            return new ApiError(path(f) + " must be " + typeName(f.getTargetType()) + " (got "
                    + Tensors.abbreviate(String.valueOf(f.getValue())) + ")", path(f));
        }
        if (e instanceof InvalidDefinitionException d && path(d) != null) {
            // A value Jackson has no way to build the field's type from: "query": "text".
            return new ApiError(path(d) + " must be " + typeName(d.getType() == null ? null
                    : d.getType().getRawClass()), path(d));
        }
        if (e instanceof MismatchedInputException m) {
            String field = path(m);
            if (field == null) {
                return new ApiError("the body must be a JSON object, {} for all defaults", null);
            }
            return new ApiError(field + " must be " + typeName(m.getTargetType()), field);
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()
                && m.getCause() instanceof com.fasterxml.jackson.core.exc.InputCoercionException c) {
            return new ApiError(path(m) + " is out of range for " + typeName(c.getTargetType())
                    + " (" + firstLine(c.getOriginalMessage()) + ")", path(m));
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return new ApiError(path(m) + " is not valid: " + firstLine(m.getOriginalMessage()), path(m));
        }
        if (e instanceof JsonParseException) {
            return new ApiError("the body is not valid JSON: " + firstLine(e.getOriginalMessage()), null);
        }
        return new ApiError("the body could not be read: " + firstLine(e.getOriginalMessage()), null);
    }

    /** The JSON path of the error as the request writes it: {@code weights.wq[2][0]}. */
    static String path(JsonMappingException e) {
        if (e.getPath().isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return Tensors.abbreviate(nl < 0 ? s : s.substring(0, nl));
    }

    private static Response json(int status, ApiError body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
