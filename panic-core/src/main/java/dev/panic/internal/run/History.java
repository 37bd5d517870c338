package dev.panic.internal.run;

import dev.panic.Prediction;
import dev.panic.RunStore;
import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;

/**
 * What a run remembers of its trajectory: how long it is and its last few predictions. Everything
 * older is in the run's store and read back on demand, so a run's memory does not grow with its
 * length. Written from the run's serial executor; read from any thread.
 */
final class History {

    /** How many recent predictions stay in memory. */
    static final int WINDOW = 16;

    private final RunStore store;
    private final String runId;
    private final ArrayDeque<Prediction> recent = new ArrayDeque<>(WINDOW);
    private int size;

    /**
     * @param size   how many predictions the trajectory already holds (a resumed run's, a fork's prefix)
     * @param recent the last of them, oldest first (at most {@link #WINDOW} are kept)
     */
    History(RunStore store, String runId, int size, List<Prediction> recent) {
        this.store = store;
        this.runId = runId;
        this.size = size;
        recent.stream().skip(Math.max(0, recent.size() - WINDOW)).forEach(this.recent::addLast);
    }

    synchronized void add(Prediction p) {
        if (recent.size() == WINDOW) {
            recent.removeFirst();
        }
        recent.addLast(p);
        size++;
    }

    synchronized int size() {
        return size;
    }

    /** The latest prediction, or null. */
    synchronized Prediction last() {
        return recent.peekLast();
    }

    /**
     * The trajectory as it is now, as a list: recent predictions from memory, older ones from the
     * store. Iterating it reads the store once, in order.
     */
    synchronized List<Prediction> snapshot() {
        return new View(size, new ArrayList<>(recent));
    }

    private final class View extends AbstractList<Prediction> {
        private final int size;
        private final List<Prediction> recent;
        private final int firstRecent;

        View(int size, List<Prediction> recent) {
            this.size = size;
            this.recent = recent;
            this.firstRecent = size - recent.size();
        }

        @Override
        public Prediction get(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("index " + index + " of a run history of " + size + " predictions");
            }
            if (index >= firstRecent) {
                return recent.get(index - firstRecent);
            }
            try (Stream<Prediction> s = store.predictions(runId, 0)) {
                return s.skip(index).findFirst().orElseThrow(() -> new NoSuchElementException("prediction " + index
                        + " of run " + runId + " is no longer in its store"));
            }
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<Prediction> iterator() {
            return new Iterator<>() {
                private Stream<Prediction> older = firstRecent > 0 ? store.predictions(runId, 0) : null;
                private Iterator<Prediction> olderIt = older == null ? null : older.iterator();
                private int index;

                @Override
                public boolean hasNext() {
                    return index < size;
                }

                @Override
                public Prediction next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Prediction p;
                    if (index < firstRecent) {
                        if (!olderIt.hasNext()) {
                            throw new NoSuchElementException("prediction " + index + " of run " + runId
                                    + " could not be read from its store");
                        }
                        p = olderIt.next();
                        if (index + 1 == firstRecent) {
                            older.close();
                        }
                    } else {
                        p = recent.get(index - firstRecent);
                    }
                    index++;
                    return p;
                }
            };
        }

        @Override
        public Spliterator<Prediction> spliterator() {
            return Spliterators.spliterator(iterator(), size, Spliterator.ORDERED | Spliterator.SIZED);
        }
    }
}
