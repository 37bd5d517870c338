package dev.panic;

import dev.panic.exception.ValidationException;

/**
 * What a node does when its model refuses an input on content grounds (a safety filter:
 * {@link dev.panic.exception.ContentRejectedException}): by default the run fails, as with any
 * failure; a node can instead try again with a new seed, give the model a fixed text instead, or
 * let the input pass on to the next node. Every refusal stays in the run as a failed prediction
 * whose message says what the policy did.
 *
 * <pre>{@code
 * Network.Node.of("painter", dalle).withRejection(Rejection.retry(2))
 * Network.Node.of("painter", dalle).withRejection(Rejection.replace("a calm landscape"))
 * }</pre>
 *
 * @param policy   {@code fail}, {@code retry}, {@code replace} or {@code skip}
 * @param attempts for {@code retry}: how many times to try again (1 or more)
 * @param text     for {@code replace}: the text the model is given instead
 */
public record Rejection(String policy, int attempts, String text) {

    private static final Rejection FAIL = new Rejection("fail", 0, null);

    /** Checks the policy's settings. */
    public Rejection {
        switch (policy == null ? "" : policy) {
            case "fail":
            case "skip":
                break;
            case "retry":
                if (attempts < 1) {
                    throw new ValidationException("a retry policy needs at least 1 attempt, got " + attempts);
                }
                break;
            case "replace":
                if (text == null || text.isBlank()) {
                    throw new ValidationException("a replace policy needs the text to give the model instead");
                }
                break;
            default:
                throw new ValidationException("unknown rejection policy '" + policy + "'; use fail, retry, replace or skip");
        }
    }

    /** The run fails (the default). */
    public static Rejection fail() {
        return FAIL;
    }

    /** The same call is made again, up to {@code attempts} times, each with a new seed where the model takes one. */
    public static Rejection retry(int attempts) {
        return new Rejection("retry", attempts, null);
    }

    /** The model is given {@code text} instead of the refused input (for a node that takes text). */
    public static Rejection replace(String text) {
        return new Rejection("replace", 0, text);
    }

    /** The refused input goes on to the next node, as if this node had passed it through (modalities permitting). */
    public static Rejection skip() {
        return new Rejection("skip", 0, null);
    }

    /** True for the default, failing. */
    public boolean fails() {
        return policy.equals("fail");
    }

    /** {@code retry(2)}, {@code replace("a calm landscape")}... */
    @Override
    public String toString() {
        return switch (policy) {
            case "retry" -> "retry(" + attempts + ")";
            case "replace" -> "replace(\"" + text + "\")";
            default -> policy;
        };
    }
}
