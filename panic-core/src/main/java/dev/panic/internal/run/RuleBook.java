package dev.panic.internal.run;

import dev.panic.Network;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.StopReason;
import dev.panic.StopRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's rules and their per-run checks, asked in the order the run promises: rules that need no
 * vectors when an output arrives (so they can stop the next call before it starts), the others
 * and the observe-only rules when the output is delivered with its vectors. Rules are asked in the
 * order they were given and the first to fire wins. Used from the run's serial executor only.
 */
final class RuleBook {

    private static final Logger LOG = LoggerFactory.getLogger(RuleBook.class);

    /** A stop rule that fired when an output arrived, to end the run once that output is delivered. */
    record Fired(int index, StopReason reason) {
    }

    private record Indexed(int index, StopRule rule, StopRule.Check check) {
    }

    /** What one asynchronous check found: a stop rule's (by index) or an observe-only rule's. */
    record Judged(int index, boolean observing, StopRule.AsyncCheck check, StopRule.Judgement judgement) {
    }

    /** The judging of one output, which the run may abandon. */
    static final class Judging {
        final CompletableFuture<List<Judged>> result;
        private final List<CompletableFuture<StopRule.Judgement>> calls;

        Judging(CompletableFuture<List<Judged>> result, List<CompletableFuture<StopRule.Judgement>> calls) {
            this.result = result;
            this.calls = calls;
        }

        void abandon() {
            calls.forEach(c -> c.cancel(true));
        }
    }

    private final String runId;
    private final Network network;
    private final Payload initialInput;
    private final boolean embedding;
    private final List<Indexed> stop = new ArrayList<>();
    private final List<StopRule.Check> observe = new ArrayList<>();
    private boolean judges;

    RuleBook(String runId, Network network, Payload initialInput, List<StopRule> stopRules,
             List<StopRule> observeRules, boolean embedding) {
        this.runId = runId;
        this.network = network;
        this.initialInput = initialInput;
        this.embedding = embedding;
        observeRules.forEach(r -> observe.add(r.start(network, initialInput)));
        sync(stopRules);
    }

    /** A reason not to make the call about to be made at {@code node}, from a rule that looks ahead (a budget). */
    Optional<StopReason> beforeCall(Network.Node node, Duration elapsed) {
        for (Indexed i : stop) {
            if (i.check() instanceof StopRule.BeforeCall b) {
                try {
                    Optional<StopReason> r = b.beforeCall(node, elapsed);
                    if (r != null && r.isPresent()) {
                        return r;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("stop rule check {} failed before a call of run {}; ignoring it for this call", b, runId, e);
                }
            }
        }
        return Optional.empty();
    }

    /** True if some rule answers later (a judge): outputs then wait for its verdict before they are kept. */
    boolean judges() {
        return judges;
    }

    private boolean anyAsync() {
        for (Indexed i : stop) {
            if (i.check() instanceof StopRule.AsyncCheck) {
                return true;
            }
        }
        for (StopRule.Check c : observe) {
            if (c instanceof StopRule.AsyncCheck) {
                return true;
            }
        }
        return false;
    }

    /** Asks every asynchronous check about an output; the result always completes normally. */
    Judging judge(Prediction p, Duration elapsed) {
        List<CompletableFuture<StopRule.Judgement>> calls = new ArrayList<>();
        List<Judged> slots = new ArrayList<>();
        for (Indexed i : stop) {
            if (i.check() instanceof StopRule.AsyncCheck a) {
                calls.add(ask(a, p, elapsed));
                slots.add(new Judged(i.index(), false, a, null));
            }
        }
        for (StopRule.Check c : observe) {
            if (c instanceof StopRule.AsyncCheck a) {
                calls.add(ask(a, p, elapsed));
                slots.add(new Judged(-1, true, a, null));
            }
        }
        CompletableFuture<List<Judged>> all = CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .handle((x, e) -> {
                    List<Judged> out = new ArrayList<>(slots.size());
                    for (int k = 0; k < slots.size(); k++) {
                        Judged slot = slots.get(k);
                        StopRule.Judgement j = calls.get(k).isCompletedExceptionally() ? null : calls.get(k).join();
                        out.add(new Judged(slot.index(), slot.observing(), slot.check(), j));
                    }
                    return out;
                });
        return new Judging(all, calls);
    }

    private CompletableFuture<StopRule.Judgement> ask(StopRule.AsyncCheck check, Prediction p, Duration elapsed) {
        try {
            CompletableFuture<StopRule.Judgement> f = check.judge(p, elapsed);
            return f == null ? CompletableFuture.completedFuture(null) : f;
        } catch (RuntimeException e) {
            LOG.warn("judging rule {} failed at step {} of run {}; going on without its verdict", check,
                    p.sequence(), runId, e);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Follows a steering change of the rules: new rules get a fresh check, the others keep theirs. */
    void sync(List<StopRule> rules) {
        Map<StopRule, StopRule.Check> kept = new IdentityHashMap<>();
        stop.forEach(i -> kept.put(i.rule(), i.check()));
        stop.clear();
        for (int i = 0; i < rules.size(); i++) {
            StopRule r = rules.get(i);
            StopRule.Check check = kept.get(r);
            stop.add(new Indexed(i, r, check != null ? check : r.start(network, initialInput)));
        }
        judges = anyAsync();
    }

    /**
     * Asks the rules that can answer without vectors (all of them when the run has no embedders,
     * since an output is then delivered the moment it arrives, and they are asked then).
     */
    Fired onArrival(Prediction p, Duration elapsed) {
        if (!embedding) {
            return null;
        }
        for (Indexed i : stop) {
            if (!i.rule().needsEmbeddings() && !(i.check() instanceof StopRule.AsyncCheck)) {
                Optional<StopReason> r = ask(i.check(), p, elapsed);
                if (r.isPresent()) {
                    return new Fired(i.index(), r.get());
                }
            }
        }
        return null;
    }

    /**
     * Asks the observe-only rules (the asynchronous ones have answered in {@code judged}); a rule is
     * recorded where it first fires and not asked again.
     */
    List<StopReason> observe(Prediction p, Duration elapsed, List<Judged> judged) {
        List<StopReason> seen = new ArrayList<>(0);
        for (Iterator<StopRule.Check> it = observe.iterator(); it.hasNext(); ) {
            StopRule.Check c = it.next();
            Optional<StopReason> r = c instanceof StopRule.AsyncCheck a ? verdictOf(a, judged) : ask(c, p, elapsed);
            if (r.isPresent()) {
                it.remove();
                seen.add(r.get());
            }
        }
        return seen;
    }

    private static Optional<StopReason> verdictOf(StopRule.AsyncCheck check, List<Judged> judged) {
        for (Judged j : judged) {
            if (j.check() == check) {
                return j.judgement() == null ? Optional.empty() : Optional.ofNullable(j.judgement().reason());
            }
        }
        return Optional.empty();
    }

    /**
     * Asks the rules not asked on arrival, in order, as if all were asked together: a rule given
     * after one that fired on arrival is not asked, and the earlier of the two wins.
     */
    Optional<StopReason> onDelivery(Prediction p, Duration elapsed, Fired fired, List<Judged> judged) {
        int before = fired == null ? Integer.MAX_VALUE : fired.index();
        for (Indexed i : stop) {
            if (i.index() > before) {
                break;
            }
            if (i.check() instanceof StopRule.AsyncCheck a) {
                Optional<StopReason> r = verdictOf(a, judged);
                if (r.isPresent()) {
                    return r;
                }
                continue;
            }
            if (embedding && !i.rule().needsEmbeddings()) {
                continue;
            }
            Optional<StopReason> r = ask(i.check(), p, elapsed);
            if (r.isPresent()) {
                return r;
            }
        }
        return fired == null ? Optional.empty() : Optional.of(fired.reason());
    }

    /**
     * Shows every check a prediction from the run's history (a resumed run's, a fork's prefix), so
     * that their state is what it would be had the run never stopped. What they find is history,
     * not a reason to stop now; observe-only rules that fire are retired, as they were then.
     */
    void replay(Prediction p) {
        if (!p.succeeded()) {
            return;
        }
        // An asynchronous check answers a replay from the verdict stored on the prediction.
        for (Indexed i : stop) {
            ask(i.check(), p, Duration.ZERO);
        }
        observe.removeIf(c -> ask(c, p, Duration.ZERO).isPresent());
    }

    private Optional<StopReason> ask(StopRule.Check check, Prediction p, Duration elapsed) {
        try {
            Optional<StopReason> reason = check.afterPrediction(p, elapsed);
            return reason == null ? Optional.empty() : reason;
        } catch (RuntimeException e) {
            LOG.warn("stop rule check {} failed at step {} of run {}; ignoring it for this step",
                    check, p.sequence(), runId, e);
            return Optional.empty();
        }
    }
}
