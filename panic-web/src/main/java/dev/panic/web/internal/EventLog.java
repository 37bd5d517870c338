package dev.panic.web.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The events of one live run as JSON, numbered from 0 in the order they happened, so that a page
 * that opens late sees every earlier event, and a page that reconnects ({@code Last-Event-ID}) sees
 * exactly those it missed. Streamed pieces of an output are dropped once the output is made: the
 * output holds them all. Thread-safe.
 */
final class EventLog {

    /** One event: its id, its JSON, and for a streamed piece the sequence of the output it belongs to. */
    record Entry(long id, String json, int pieceOf) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<SseChannel> channels = new ArrayList<>();
    private long next;
    private boolean ended;

    /**
     * Adds an event and sends it to the pages following the run.
     *
     * @param pieceOf the sequence a streamed piece belongs to, or -1
     * @param made    the sequence of the output this event completes (its pieces are dropped), or -1
     */
    void append(String json, int pieceOf, int made) {
        List<SseChannel> to;
        long id;
        synchronized (this) {
            if (made >= 0) {
                entries.removeIf(e -> e.pieceOf() == made);
            }
            id = next++;
            entries.add(new Entry(id, json, pieceOf));
            channels.removeIf(SseChannel::isClosed);
            to = List.copyOf(channels);
        }
        String key = Long.toString(id);
        to.forEach(c -> c.send(key, json));
    }

    /** Marks the run as ended: pages are sent nothing more, and their streams end. */
    void end() {
        List<SseChannel> to;
        synchronized (this) {
            ended = true;
            to = List.copyOf(channels);
            channels.clear();
        }
        to.forEach(SseChannel::end);
    }

    /**
     * Sends {@code channel} the events after {@code lastId} (all of them for -1), then every later
     * event as it happens; the stream ends with the run.
     */
    void follow(long lastId, SseChannel channel) {
        boolean over;
        synchronized (this) {
            // Queued under the lock, so before any event appended later: a channel sends in queue order.
            for (Entry e : entries) {
                if (e.id() > lastId) {
                    channel.send(Long.toString(e.id()), e.json());
                }
            }
            over = ended;
            if (!over) {
                channels.add(channel);
            }
        }
        if (over) {
            channel.end();
        } else {
            channel.onClose(() -> unfollow(channel));
        }
    }

    private synchronized void unfollow(SseChannel channel) {
        channels.remove(channel);
    }

    /** Pings every follower, dropping those that have gone. */
    void ping() {
        List<SseChannel> to;
        synchronized (this) {
            for (Iterator<SseChannel> it = channels.iterator(); it.hasNext(); ) {
                if (it.next().isClosed()) {
                    it.remove();
                }
            }
            to = List.copyOf(channels);
        }
        to.forEach(SseChannel::ping);
    }

    synchronized boolean ended() {
        return ended;
    }

    synchronized int size() {
        return entries.size();
    }
}
