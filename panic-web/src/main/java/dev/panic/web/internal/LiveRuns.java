package dev.panic.web.internal;

import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunEvent;
import dev.panic.json.RunJson;
import dev.panic.RunStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs this server started, resumed or forked (and the branches they started), each with the
 * log of its events for the pages that follow it. A run's log stays for a while after it ends, so
 * a page that opens just then still sees it live; after that, pages read the run from the store.
 */
final class LiveRuns implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveRuns.class);

    /** How many ended runs keep their logs. */
    private static final int ENDED_LOGS = 32;

    private final RunStore store;
    private final RunJson json;
    private final MediaIndex media;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, EventLog> logs = new ConcurrentHashMap<>();
    private final Map<String, EventLog> ended = new LinkedHashMap<>();

    LiveRuns(RunStore store, RunJson json, MediaIndex media) {
        this.store = store;
        this.json = json;
        this.media = media;
    }

    /** Starts the run the builder describes, logging its events (and its branches'). */
    Run start(Run.Builder builder) {
        Run run = builder.listener(this::onEvent).store(store).start();
        runs.put(run.id(), run);
        logs.putIfAbsent(run.id(), new EventLog()); // its page may open before its first event is told
        return run;
    }

    /** A run this server runs, if it is still going. */
    Optional<Run> run(String runId) {
        Run r = runs.get(runId);
        return r == null || r.status().isFinal() ? Optional.empty() : Optional.of(r);
    }

    /** Ids of the runs going on here. */
    List<String> ids() {
        return runs.values().stream().filter(r -> !r.status().isFinal()).map(Run::id).toList();
    }

    /** The log of a run this server runs or ran lately. */
    Optional<EventLog> log(String runId) {
        EventLog log = logs.get(runId);
        if (log == null) {
            synchronized (ended) {
                log = ended.get(runId);
            }
        }
        return Optional.ofNullable(log);
    }

    /** Pings the pages that follow live runs, so pages that have gone are found and dropped. */
    void ping() {
        logs.values().forEach(EventLog::ping);
    }

    private void onEvent(RunEvent e) {
        try {
            EventLog log = logs.computeIfAbsent(e.runId(), id -> new EventLog());
            if (e instanceof RunEvent.Started s && s.firstSequence() > 0 && log.size() == 0) {
                // A resumed run, a fork or a branch: what it shares from before comes first.
                History.of(store, s.runId(), s.firstSequence(), json).forEach(j -> log.append(j, -1, -1));
            }
            remember(e);
            int pieceOf = e instanceof RunEvent.PartialOutput p ? p.sequence() : -1;
            int made = e instanceof RunEvent.PredictionMade m ? m.prediction().sequence()
                    : e instanceof RunEvent.PredictionFailed f ? f.prediction().sequence() : -1;
            log.append(json.write(e), pieceOf, made);
            if (e instanceof RunEvent.Branched b) {
                Run parent = runs.get(b.runId());
                if (parent != null) {
                    parent.branches().stream().filter(r -> r.id().equals(b.branchId())).findFirst()
                            .ifPresent(r -> runs.put(r.id(), r));
                }
            } else if (e instanceof RunEvent.Finished) {
                retire(e.runId(), log);
            }
        } catch (RuntimeException ex) {
            // A page that cannot show an event must not stop the run from telling the others.
            LOG.warn("could not pass on {} of run {}: {}", e.getClass().getSimpleName(), e.runId(), ex.toString());
        }
    }

    /** Media a page is about to ask for: the payloads of an event, so they are served without a store read. */
    private void remember(RunEvent e) {
        if (e instanceof RunEvent.PredictionStarted s) {
            media.put(s.runId(), s.input());
        } else if (e instanceof RunEvent.PredictionMade m) {
            Prediction p = m.prediction();
            media.put(p.runId(), p.input());
            media.put(p.runId(), p.output());
        } else if (e instanceof RunEvent.Started s) {
            media.put(s.runId(), s.input());
        } else if (e instanceof RunEvent.Steered s) {
            s.revision().changes().forEach(c -> {
                if (c instanceof dev.panic.Change.Inject i) {
                    media.put(s.runId(), i.input());
                }
            });
        }
    }

    private void retire(String runId, EventLog log) {
        log.end();
        synchronized (ended) {
            ended.put(runId, log);
            while (ended.size() > ENDED_LOGS) {
                ended.remove(ended.keySet().iterator().next());
            }
        }
        logs.remove(runId);
        runs.remove(runId);
    }

    /** Cancels the runs still going: they are saved as cancelled and can be resumed. */
    @Override
    public void close() {
        for (Run r : runs.values()) {
            if (!r.status().isFinal()) {
                r.cancel();
            }
        }
        for (Run r : runs.values()) {
            r.await(java.time.Duration.ofSeconds(5));
        }
    }
}
