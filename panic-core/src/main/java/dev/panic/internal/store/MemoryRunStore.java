package dev.panic.internal.store;

import dev.panic.Embedding;
import dev.panic.Lineage;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunInfo;
import dev.panic.Verdict;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A {@link RunStore} in this process's memory: what a run that was given no store keeps its
 * history in. It holds every prediction with its media, so it grows with the run; give a long run
 * a {@link RunStore#directory directory store} and its memory stays flat.
 */
public final class MemoryRunStore implements RunStore {

    /** One saved run. Guarded by the store. */
    private static final class Saved {
        RunInfo info;
        final List<Prediction> predictions = new ArrayList<>();
        final List<Boolean> pending = new ArrayList<>();
        final List<Revision> revisions = new ArrayList<>();
        boolean held;
    }

    private final Map<String, Saved> runs = new LinkedHashMap<>();

    @Override
    public synchronized Recorder create(RunInfo info) {
        if (info == null) {
            throw new ValidationException("cannot create a run from a null run info");
        }
        if (runs.containsKey(info.id())) {
            throw new PanicException("run '" + info.id() + "' exists already in this memory store; give the run"
                    + " another id");
        }
        Saved s = new Saved();
        s.info = info;
        s.held = true;
        runs.put(info.id(), s);
        return new MemoryRecorder(info.id());
    }

    @Override
    public synchronized Recorder resume(String runId) {
        Saved s = saved(runId);
        if (s.held) {
            throw new PanicException("run '" + runId + "' is live: it is being written in this process; stop it first");
        }
        s.held = true;
        return new MemoryRecorder(runId);
    }

    @Override
    public synchronized StoredRun read(String runId) {
        List<String> warnings = new ArrayList<>();
        List<Prediction> trajectory = new ArrayList<>();
        collect(runId, 0, Integer.MAX_VALUE, trajectory, warnings);
        return new StoredRun(info(runId), trajectory, saved(runId).revisions, warnings);
    }

    @Override
    public synchronized RunInfo info(String runId) {
        return saved(runId).info;
    }

    @Override
    public synchronized Stream<Prediction> predictions(String runId, int fromSequence) {
        List<Prediction> trajectory = new ArrayList<>();
        collect(runId, fromSequence, Integer.MAX_VALUE, trajectory, new ArrayList<>());
        return trajectory.stream();
    }

    private void collect(String runId, int from, int to, List<Prediction> out, List<String> warnings) {
        Saved s = saved(runId);
        int own = 0;
        if (s.info.parent().isPresent()) {
            Lineage parent = s.info.parent().get();
            own = parent.sequence() + 1;
            if (from <= parent.sequence()) {
                if (runs.containsKey(parent.runId())) {
                    collect(parent.runId(), from, Math.min(to, parent.sequence()), out, warnings);
                } else {
                    warnings.add("the parent run '" + parent.runId() + "' is not in this store");
                }
            }
        }
        for (Prediction p : s.predictions) {
            if (p.sequence() >= Math.max(from, own) && p.sequence() <= to) {
                out.add(p);
            }
        }
    }

    @Override
    public synchronized List<Revision> revisions(String runId) {
        return List.copyOf(saved(runId).revisions);
    }

    @Override
    public synchronized List<String> runIds() {
        return List.copyOf(runs.keySet());
    }

    @Override
    public synchronized List<String> children(String runId) {
        saved(runId);
        List<String> out = new ArrayList<>();
        runs.forEach((id, s) -> {
            if (s.info.parent().filter(l -> l.runId().equals(runId)).isPresent()) {
                out.add(id);
            }
        });
        return out;
    }

    @Override
    public synchronized void delete(String runId) {
        Saved s = saved(runId);
        if (s.held) {
            throw new PanicException("run '" + runId + "' is live: it is being written in this process; stop it first");
        }
        List<String> children = children(runId);
        if (!children.isEmpty()) {
            throw new ValidationException("run '" + runId + "' cannot be deleted: " + children.size()
                    + " run(s) share its predictions (" + String.join(", ", children) + "); delete them first");
        }
        runs.remove(runId);
    }

    private Saved saved(String runId) {
        Saved s = runs.get(runId);
        if (s == null) {
            throw new NotFoundException("no run '" + runId + "' in this memory store; it holds "
                    + (runs.isEmpty() ? "no runs" : String.join(", ", runs.keySet())));
        }
        return s;
    }

    @Override
    public String toString() {
        return "MemoryRunStore[" + runs.size() + " runs]";
    }

    private final class MemoryRecorder implements Recorder {
        private final String runId;
        private boolean closed;

        MemoryRecorder(String runId) {
            this.runId = runId;
        }

        @Override
        public void append(Prediction prediction, boolean complete) {
            synchronized (MemoryRunStore.this) {
                Saved s = open();
                s.predictions.add(prediction);
                s.pending.add(!complete);
            }
        }

        @Override
        public void complete(int sequence, Map<String, Embedding> embeddings, List<Verdict> verdicts) {
            synchronized (MemoryRunStore.this) {
                Saved s = open();
                for (int i = s.predictions.size() - 1; i >= 0; i--) {
                    if (s.predictions.get(i).sequence() == sequence) {
                        s.predictions.set(i, s.predictions.get(i).withEmbeddings(embeddings).withVerdicts(verdicts));
                        s.pending.set(i, false);
                        return;
                    }
                }
            }
        }

        @Override
        public void drop(int sequence, String reason) {
            synchronized (MemoryRunStore.this) {
                Saved s = open();
                for (int i = s.predictions.size() - 1; i >= 0; i--) {
                    if (s.predictions.get(i).sequence() == sequence) {
                        s.predictions.remove(i);
                        s.pending.remove(i);
                        return;
                    }
                }
            }
        }

        @Override
        public void revise(Revision revision) {
            synchronized (MemoryRunStore.this) {
                open().revisions.add(revision);
            }
        }

        @Override
        public void update(RunInfo info) {
            synchronized (MemoryRunStore.this) {
                open().info = info;
            }
        }

        @Override
        public void close() {
            synchronized (MemoryRunStore.this) {
                if (!closed) {
                    closed = true;
                    runs.get(runId).held = false;
                }
            }
        }

        private Saved open() {
            if (closed) {
                throw new PanicException("the recorder of run '" + runId + "' is closed");
            }
            return runs.get(runId);
        }
    }
}
