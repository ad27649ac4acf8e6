package dev.stevedore.image.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The access log the CNCF registry writes (combined log format, in {@code RegistryServer.logFile()}): what
 * the registry itself says it answered and how many body bytes it sent, independent of the client and of
 * any proxy in between.
 */
final class RegistryAccessLog {

    /** One answered request. */
    record Entry(String method, String path, int status, long bytes) { }

    private static final Pattern LINE = Pattern.compile("\"(\\w+) (\\S+) HTTP/[\\d.]+\" (\\d{3}) (\\d+|-)");

    private RegistryAccessLog() {
    }

    /** The entries logged after the first {@code skipLines} lines of the file. */
    static List<Entry> read(Path logFile, long skipLines) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        for (String line : lines.subList((int) Math.min(skipLines, lines.size()), lines.size())) {
            Matcher m = LINE.matcher(line);
            if (!line.startsWith("time=") && m.find()) {
                String path = m.group(2).contains("?") ? m.group(2).substring(0, m.group(2).indexOf('?')) : m.group(2);
                entries.add(new Entry(m.group(1), path, Integer.parseInt(m.group(3)), m.group(4).equals("-") ? 0 : Long.parseLong(m.group(4))));
            }
        }
        return entries;
    }

    static long lineCount(Path logFile) throws IOException {
        return Files.readAllLines(logFile, StandardCharsets.UTF_8).size();
    }
}
