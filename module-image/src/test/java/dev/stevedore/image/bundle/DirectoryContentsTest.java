package dev.stevedore.image.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryContentsTest {

    @TempDir
    Path dir;

    @Test
    void aFolderWalkedAloneGivesWhatTheWholeWalkGivesUnderIt() throws Exception {
        write("blobs/sha256:" + "a".repeat(64));
        write("blobs/sha256:" + "b".repeat(64));
        write("blobs/.tmp-123-sha256:" + "c".repeat(64)); // a download in progress
        write("registry.example/app/manifests/v1");
        write("stevedore-bundle.json");
        Files.createSymbolicLink(dir.resolve("blobs/sha256:" + "d".repeat(64)), dir.resolve("stevedore-bundle.json"));
        DirectoryContents contents = new DirectoryContents(dir);

        List<String> blobs = contents.members("blobs");

        assertEquals(List.of("blobs/sha256:" + "a".repeat(64), "blobs/sha256:" + "b".repeat(64)), blobs);
        assertEquals(contents.members().stream().filter(member -> member.startsWith("blobs/")).toList(), blobs);
        assertEquals(List.of("registry.example/app/manifests/v1"), contents.members("registry.example"));
    }

    @Test
    void aMissingFolderHasNoMembersAndNoneOutsideTheDirectoryIsWalked() throws Exception {
        write("registry.example/app/manifests/v1");
        DirectoryContents contents = new DirectoryContents(dir.resolve("registry.example"));

        assertEquals(List.of(), contents.members("blobs"));
        assertThrows(NoSuchFileException.class, () -> contents.members(".."));
    }

    private void write(String member) throws Exception {
        Path file = dir.resolve(member);
        Files.createDirectories(file.getParent());
        Files.writeString(file, member);
    }
}
