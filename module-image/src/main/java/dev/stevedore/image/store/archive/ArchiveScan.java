package dev.stevedore.image.store.archive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the headers of an archive once, from the start, and lists its members. It stops at the
 * end-of-archive marker (a zero block) or where the archive stops being valid: a block whose checksum
 * is wrong, or a member whose content runs past the end of what is on disk. That is what an archive
 * write interrupted by a kill leaves at its tail; everything before it is kept.
 *
 * @param members the members in archive order (a name may appear more than once: the last one wins)
 * @param end     the offset where the valid members end (the end-of-archive marker, or the torn tail)
 * @param torn    why the scan stopped before an end-of-archive marker, or null when it found one (or the
 *                archive is empty)
 */
record ArchiveScan(List<ArchiveMember> members, long end, String torn) {

    /** Extended header data beyond this is not a name or size we would use: the archive is not ours to trust. */
    private static final int MAX_EXTENDED_HEADER = 1 << 20;

    static ArchiveScan of(SplitFile file) throws IOException {
        long length = file.size();
        List<ArchiveMember> members = new ArrayList<>();
        long at = 0;
        while (true) {
            if (at == length) {
                return new ArchiveScan(members, at, at == 0 ? null : "it ends after " + at + " bytes without an end-of-archive marker");
            }
            long start = at;
            String longName = null;
            Long longSize = null;
            byte[] header;
            // Extended headers (PAX 'x', GNU 'L') describe the member whose ustar header follows them.
            while (true) {
                if (at + TarHeaders.BLOCK > length) {
                    return torn(members, start, "a header at " + at + " is cut off");
                }
                header = file.readFully(at, TarHeaders.BLOCK);
                if (TarHeaders.isZero(header)) {
                    return new ArchiveScan(members, start, at == start ? null : "an extended header at " + start + " has no member");
                }
                if (!TarHeaders.checksumMatches(header)) {
                    return torn(members, start, "the block at " + at + " is not a valid tar header");
                }
                byte type = TarHeaders.type(header);
                if (type != TarHeaders.PAX && type != TarHeaders.GNU_LONG_NAME && type != TarHeaders.PAX_GLOBAL) {
                    break;
                }
                long size = TarHeaders.size(header);
                if (size > MAX_EXTENDED_HEADER || at + TarHeaders.BLOCK + TarHeaders.padded(size) > length) {
                    return torn(members, start, "the extended header at " + at + " is cut off or too large");
                }
                byte[] data = file.readFully(at + TarHeaders.BLOCK, (int) size);
                if (type == TarHeaders.PAX) {
                    Map<String, String> records = TarHeaders.paxRecords(data);
                    longName = records.getOrDefault("path", longName);
                    if (records.containsKey("size")) {
                        try {
                            longSize = Long.parseLong(records.get("size"));
                        } catch (NumberFormatException e) {
                            return torn(members, start, "the extended header at " + at + " has an invalid size");
                        }
                    }
                } else if (type == TarHeaders.GNU_LONG_NAME) {
                    longName = TarHeaders.string(data, 0, data.length);
                }
                at += TarHeaders.BLOCK + TarHeaders.padded(size);
            }
            String name = normalize(longName != null ? longName : TarHeaders.name(header));
            long size = longSize != null ? longSize : TarHeaders.size(header);
            long data = at + TarHeaders.BLOCK;
            ArchiveMember member = new ArchiveMember(name, TarHeaders.type(header), start, data, hasContent(header) ? size : 0);
            if (member.end() > length && data + member.size() > length) {
                return torn(members, start, "member " + name + " at " + start + " is cut off");
            }
            members.add(member);
            at = Math.min(member.end(), length);
        }
    }

    private static ArchiveScan torn(List<ArchiveMember> members, long end, String why) {
        return new ArchiveScan(members, end, why);
    }

    /** Links and devices carry no content whatever their size field says; every other type does. */
    private static boolean hasContent(byte[] header) {
        byte type = TarHeaders.type(header);
        return type != '1' && type != '2' && type != '3' && type != '4' && type != '5' && type != '6';
    }

    /** {@code ./a/b} and {@code a/b} name the same file; a trailing slash marks a directory only. */
    private static String normalize(String name) {
        String out = name;
        while (out.startsWith("./")) {
            out = out.substring(2);
        }
        while (out.endsWith("/") && out.length() > 1) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
