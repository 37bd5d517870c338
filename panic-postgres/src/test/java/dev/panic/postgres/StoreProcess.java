package dev.panic.postgres;

import dev.panic.Payload;
import dev.panic.store.Fixtures;
import dev.panic.RunStore;
import java.time.Duration;
import java.time.Instant;

/**
 * A writer in a process of its own, for the tests that kill writers or race them:
 * {@code write URL RUN LEASE_MS} creates a run and saves a prediction every 50 ms until killed;
 * {@code take URL RUN LEASE_MS AT_EPOCH_MS SEQUENCE} tries, at that moment, to take over an
 * interrupted run, and if it wins saves prediction SEQUENCE, holds the run five seconds and lets go.
 * Prints what happened, one line each.
 */
public final class StoreProcess {

    private StoreProcess() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String url = args[1];
        String runId = args[2];
        Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
        try (PostgresRunStore store = PostgresRunStore.builder(url).lease(lease).poolSize(2).build()) {
            if (mode.equals("write")) {
                RunStore.Recorder recorder = store.create(Fixtures.running(runId, Payload.text("start"), Instant.now()));
                for (int i = 0; ; i++) {
                    recorder.append(Fixtures.ok(runId, i, Payload.text("in " + i), Payload.text("out " + i)), true);
                    System.out.println("saved " + i);
                    Thread.sleep(50);
                }
            }
            long at = Long.parseLong(args[4]);
            int sequence = Integer.parseInt(args[5]);
            Thread.sleep(Math.max(0, at - System.currentTimeMillis()));
            RunStore.Recorder recorder;
            try {
                recorder = store.resume(runId);
            } catch (RuntimeException e) {
                System.out.println("refused: " + e.getMessage());
                return;
            }
            System.out.println("won");
            recorder.append(Fixtures.ok(runId, sequence, Payload.text("taken"), Payload.text("by " + ProcessHandle
                    .current().pid())), true);
            // Held long enough that a rival whose JVM started late still meets the lease.
            Thread.sleep(5000);
            recorder.close();
            System.out.println("let go");
        }
    }
}
