package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panic.Modality;
import dev.panic.Network;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunStatus;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Uses PANIC only through the jars Maven resolved by coordinates, as a project outside the build would. */
class ConsumerTest {

    @Test
    void aSimulatorLoopRunsFromTheInstalledJars() {
        Platforms platforms = Platforms.discover(); // the sim platform is found through ServiceLoader in the jar
        Network loop = Network.of(platforms.model("sim:painter"), platforms.model("sim:describer"));

        Run run = Run.builder(loop, Payload.text("a red circle on a blue background")).maxSteps(4).start().await();

        assertEquals(RunStatus.COMPLETED, run.status());
        List<Prediction> predictions = run.predictions();
        assertEquals(4, predictions.size());
        assertEquals(Modality.IMAGE, predictions.get(0).output().modality());
        assertEquals(Modality.TEXT, predictions.get(1).output().modality());
    }

    @Test
    void theJarCarriesItsVersionAndModuleName() throws Exception {
        Path jar = Path.of(Run.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(jar.toString().endsWith(".jar"), "panic-core comes as a jar from the repository: " + jar);
        assertEquals(System.getProperty("panic.expected.version"), Run.class.getPackage().getImplementationVersion());
        List<String> names = ModuleFinder.of(jar).findAll().stream()
                .map(ModuleReference::descriptor).map(d -> d.name()).collect(Collectors.toList());
        assertEquals(List.of("dev.panic.core"), names);
    }
}
