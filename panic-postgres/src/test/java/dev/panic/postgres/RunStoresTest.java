package dev.panic.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Change;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.exception.ValidationException;
import dev.panic.RunStore;
import dev.panic.store.RunStores;
import dev.panic.StoredRun;
import dev.panic.testing.TestPlatform;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening stores by URL, and moving runs from a folder to PostgreSQL and back. */
class RunStoresTest {

    private final PostgresCluster cluster = PostgresCluster.shared();

    @TempDir
    Path dir;

    @Test
    void should_open_a_postgresql_url_through_its_provider_and_name_it_without_the_password() throws Exception {
        String url = cluster.newDatabase();
        RunStore store = RunStores.open(url.replace("postgres@", "postgres:s3cret@") + "?pool_size=2");
        try {
            assertThat(store).isInstanceOf(PostgresRunStore.class);
            assertThat(store.toString()).contains("127.0.0.1").doesNotContain("s3cret");
            assertThat(store.runIds()).isEmpty();
        } finally {
            ((AutoCloseable) store).close();
        }
        assertThat(RunStores.open(dir.resolve("runs").toString()).toString()).contains(dir.toString());
        assertThatThrownBy(() -> RunStores.open("mysql://h/db")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("postgresql");
        assertThatThrownBy(() -> RunStores.open("postgresql://u:pw@h:notaport/db"))
                .isInstanceOf(ValidationException.class).hasMessageNotContaining("pw");
    }

    @Test
    void should_copy_runs_with_forks_media_and_revisions_from_a_folder_to_postgresql_and_back_unchanged()
            throws Exception {
        // given: a run of pictures and captions with a fork, in a folder
        TestPlatform t = new TestPlatform("t")
                .model("paint", Modality.TEXT, Modality.IMAGE, p -> Payload.image(new byte[] {
                        (byte) 0x89, 'P', 'N', 'G', (byte) ((Payload.Text) p).text().length()}, "image/png"))
                .model("look", Modality.IMAGE, Modality.TEXT, p -> Payload.text("seen " + ((Payload.Image) p).data().get(4)));
        Platforms platforms = t.platforms();
        RunStore folder = RunStore.directory(dir.resolve("runs"));
        Run parent = Run.builder(platforms.network("t:paint", "t:look"), Payload.text("abc")).maxSteps(6)
                .store(folder).start().await();
        Run child = Run.fork(folder, parent.id(), 2, platforms).change(Change.template("paint", "a {input}"))
                .maxSteps(6).start().await();
        assertThat(child.status()).isEqualTo(RunStatus.COMPLETED);

        // when: the fork alone is asked for (its parent comes along), there and back again
        try (PostgresRunStore db = PostgresRunStore.open(cluster.newDatabase())) {
            RunStores.CopyReport there = RunStores.copy(folder, db, List.of(child.id()));
            RunStores.CopyReport again = RunStores.copy(folder, db, List.of());
            RunStore back = RunStore.directory(dir.resolve("back"));
            RunStores.CopyReport home = RunStores.copy(db, back, List.of());

            // then
            assertThat(there.copied()).containsExactly(parent.id(), child.id());
            assertThat(there.warnings()).isEmpty();
            assertThat(again.copied()).isEmpty();
            assertThat(again.skipped()).containsExactly(parent.id(), child.id());
            assertThat(home.copied()).containsExactly(parent.id(), child.id());
            for (String id : List.of(parent.id(), child.id())) {
                StoredRun original = folder.read(id);
                for (RunStore copy : List.of(db, back)) {
                    StoredRun read = copy.read(id);
                    assertThat(read.info()).isEqualTo(original.info());
                    assertThat(read.predictions()).isEqualTo(original.predictions());
                    assertThat(read.revisions()).isEqualTo(original.revisions());
                    assertThat(read.warnings()).isEmpty();
                }
            }
            Payload.Image picture = (Payload.Image) back.read(child.id()).predictions().get(4).output();
            assertThat(picture.data().toByteArray()).isEqualTo(
                    ((Payload.Image) child.predictions().get(4).output()).data().toByteArray());
            assertThat(db.children(parent.id())).containsExactly(child.id());
        }
    }
}
