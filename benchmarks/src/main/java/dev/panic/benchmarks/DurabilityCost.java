package dev.panic.benchmarks;

import dev.panic.Durability;
import dev.panic.Network;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;

/**
 * What {@link Durability#FSYNC} costs: the same runs saved to a folder with each record handed to
 * the operating system ({@code FLUSH}, the default) and forced to the disk ({@code FSYNC}), taking
 * turns. A text loop (the contrarian: one line per step) and an image loop (the painter and
 * describer at 128 px: a line and, when the picture is new, a media file per step).
 *
 * <p>Run: {@code java -cp benchmarks/target/panic-benchmarks.jar dev.panic.benchmarks.DurabilityCost [steps] [rounds] [folder]}
 * (the folder must be on the disk to measure; a temporary folder by default).
 */
public final class DurabilityCost {

    private DurabilityCost() {
    }

    /** Runs the benchmark and prints its figures. */
    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path folder = args.length > 2 ? Files.createDirectories(Path.of(args[2]))
                : Files.createTempDirectory("panic-durability");
        Platforms platforms = Platforms.discover();
        Network text = platforms.network("sim:contrarian");
        Network images = platforms.network("sim:painter", "sim:describer");
        for (int round = 0; round < rounds; round++) {
            for (Network net : new Network[] {text, images}) {
                double flush = time(net, steps, Durability.FLUSH, folder);
                double fsync = time(net, steps, Durability.FSYNC, folder);
                System.out.printf(Locale.ROOT, "round %d, %s: flush %.0f steps/s (%.2f ms a step), fsync %.0f steps/s"
                                + " (%.2f ms a step), fsync adds %.2f ms a step%n", round + 1, net, steps / flush,
                        flush * 1000 / steps, steps / fsync, fsync * 1000 / steps, (fsync - flush) * 1000 / steps);
            }
        }
        try (var files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static double time(Network net, int steps, Durability durability, Path folder) {
        long start = System.nanoTime();
        Run.builder(net, Payload.text("a hot day and a dark night: a red circle at the top")).maxSteps(steps)
                .durability(durability).store(RunStore.directory(folder)).start().await();
        return (System.nanoTime() - start) / 1e9;
    }
}
