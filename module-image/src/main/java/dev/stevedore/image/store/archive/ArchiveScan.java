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

    /** Where header blocks are read from: the archive's file, or the bytes one zstd frame decompresses to. */
    @FunctionalInterface
    interface Blocks {
        /** Exactly {@code length} bytes at {@code at}; a scan reads forward only. */
        byte[] readFully(long at, int length) throws IOException;
    }

    /** What the headers at an offset are: a member, the end-of-archive marker, or not a valid header. */
    sealed interface Header {
        record Member(ArchiveMember member) implements Header {
        }

        record End() implements Header {
        }

        record Torn(String why) implements Header {
        }
    }

    static ArchiveScan of(SplitFile file) throws IOException {
        long length = file.size();
        List<ArchiveMember> members = new ArrayList<>();
        long at = 0;
        while (true) {
            if (at == length) {
                return new ArchiveScan(members, at, at == 0 ? null : "it ends after " + at + " bytes without an end-of-archive marker");
            }
            Header next = header(file::readFully, at, length);
            if (next instanceof Header.Member found) {
                members.add(found.member());
                at = Math.min(found.member().end(), length);
            } else {
                return new ArchiveScan(members, at, next instanceof Header.Torn torn ? torn.why() : null);
            }
        }
    }

    /**
     * The member whose headers start at {@code at}, in {@code blocks} of {@code length} bytes (the logical end: a
     * member whose content runs past it is cut off). Extended headers (PAX 'x', GNU 'L') describe the member whose
     * ustar header follows them.
     */
    static Header header(Blocks blocks, long at, long length) throws IOException {
        long start = at;
        String longName = null;
        Long longSize = null;
        byte[] header;
        while (true) {
            if (at + TarHeaders.BLOCK > length) {
                return new Header.Torn("a header at " + at + " is cut off");
            }
            header = blocks.readFully(at, TarHeaders.BLOCK);
            if (TarHeaders.isZero(header)) {
                return at == start ? new Header.End() : new Header.Torn("an extended header at " + start + " has no member");
            }
            if (!TarHeaders.checksumMatches(header)) {
                return new Header.Torn("the block at " + at + " is not a valid tar header");
            }
            byte type = TarHeaders.type(header);
            if (type != TarHeaders.PAX && type != TarHeaders.GNU_LONG_NAME && type != TarHeaders.PAX_GLOBAL) {
                break;
            }
            long size = TarHeaders.size(header);
            if (size > MAX_EXTENDED_HEADER || at + TarHeaders.BLOCK + TarHeaders.padded(size) > length) {
                return new Header.Torn("the extended header at " + at + " is cut off or too large");
            }
            byte[] data = blocks.readFully(at + TarHeaders.BLOCK, (int) size);
            if (type == TarHeaders.PAX) {
                Map<String, String> records = TarHeaders.paxRecords(data);
                longName = records.getOrDefault("path", longName);
                if (records.containsKey("size")) {
                    try {
                        longSize = Long.parseLong(records.get("size"));
                    } catch (NumberFormatException e) {
                        return new Header.Torn("the extended header at " + at + " has an invalid size");
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
            return new Header.Torn("member " + name + " at " + start + " is cut off");
        }
        return new Header.Member(member);
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
