package dev.stevedore.image.store.archive;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The 512-byte headers of a POSIX ustar archive, written and parsed. A name longer than the ustar name
 * field, or a size beyond its 11 octal digits (8 GiB), goes into a PAX extended header ({@code x}) in
 * front of the member, as POSIX.1-2001 defines and GNU tar and bsdtar read. Parsing also accepts what
 * other tars write: the ustar prefix field, GNU long names ({@code L}) and base-256 sizes.
 */
final class TarHeaders {

    static final int BLOCK = 512;
    /** The largest size the ustar size field holds: 11 octal digits. */
    static final long MAX_USTAR_SIZE = 077777777777L;
    static final int MAX_USTAR_NAME = 100;

    static final byte REGULAR = '0';
    static final byte DIRECTORY = '5';
    static final byte PAX = 'x';
    static final byte PAX_GLOBAL = 'g';
    static final byte GNU_LONG_NAME = 'L';

    private TarHeaders() {
    }

    /** {@code size} rounded up to whole blocks. */
    static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** Whether a member of this name and size needs a PAX header before its ustar header. */
    static boolean needsPax(String name, long size) {
        return name.getBytes(StandardCharsets.UTF_8).length > MAX_USTAR_NAME || size > MAX_USTAR_SIZE;
    }

    /**
     * The header blocks of one member: the ustar header alone, or a PAX header, its records (padded) and
     * then the ustar header. The ustar header is always the last block.
     */
    static byte[] member(String name, long size, byte type, int mode, long mtimeSeconds) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (!needsPax(name, size)) {
            return ustar(nameBytes, size, type, mode, mtimeSeconds);
        }
        StringBuilder records = new StringBuilder();
        if (nameBytes.length > MAX_USTAR_NAME) {
            records.append(paxRecord("path", name));
        }
        if (size > MAX_USTAR_SIZE) {
            records.append(paxRecord("size", Long.toString(size)));
        }
        byte[] data = records.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[BLOCK + (int) padded(data.length) + BLOCK];
        byte[] paxName = truncate(("PaxHeaders/" + lastComponent(name)).getBytes(StandardCharsets.UTF_8));
        System.arraycopy(ustar(paxName, data.length, PAX, 0644, mtimeSeconds), 0, out, 0, BLOCK);
        System.arraycopy(data, 0, out, BLOCK, data.length);
        System.arraycopy(ustar(truncate(nameBytes), size > MAX_USTAR_SIZE ? 0 : size, type, mode, mtimeSeconds), 0, out, out.length - BLOCK, BLOCK);
        return out;
    }

    /** One ustar header block; {@code size} must fit the field (the PAX record carries larger ones). */
    static byte[] ustar(byte[] name, long size, byte type, int mode, long mtimeSeconds) {
        if (name.length > MAX_USTAR_NAME || size > MAX_USTAR_SIZE || size < 0) {
            throw new IllegalArgumentException("does not fit a ustar header: " + name.length + "-byte name, size " + size);
        }
        byte[] header = new byte[BLOCK];
        System.arraycopy(name, 0, header, 0, name.length);
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0); // uid
        octal(header, 116, 8, 0); // gid
        octal(header, 124, 12, size);
        octal(header, 136, 12, mtimeSeconds);
        header[156] = type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 6);
        header[263] = '0';
        header[264] = '0';
        setChecksum(header);
        return header;
    }

    /** The same ustar header under another name of at most 100 bytes: the archive's rename into place. */
    static byte[] renamed(byte[] header, String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > MAX_USTAR_NAME) {
            throw new IllegalArgumentException("name longer than " + MAX_USTAR_NAME + " bytes: " + name);
        }
        byte[] out = header.clone();
        Arrays.fill(out, 0, MAX_USTAR_NAME, (byte) 0);
        System.arraycopy(nameBytes, 0, out, 0, nameBytes.length);
        setChecksum(out);
        return out;
    }

    /** Whether every byte of the block is zero: the end-of-archive marker (or space not yet written). */
    static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the block's checksum field matches its content (unsigned sum, as POSIX; signed, as old tars). */
    static boolean checksumMatches(byte[] header) {
        long stored;
        try {
            stored = number(header, 148, 8);
        } catch (NumberFormatException e) {
            return false;
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : header[i];
            unsigned += b & 0xff;
            signed += b;
        }
        return stored == unsigned || stored == signed;
    }

    /** The name of a ustar header, with its prefix field when the header is POSIX ustar. */
    static String name(byte[] header) {
        String name = string(header, 0, 100);
        boolean posix = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r'
                && header[262] == 0;
        String prefix = posix ? string(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    static long size(byte[] header) {
        return number(header, 124, 12);
    }

    static byte type(byte[] header) {
        return header[156];
    }

    /** The records of a PAX extended header's data ({@code "<length> <key>=<value>\n"} each). */
    static Map<String, String> paxRecords(byte[] data) {
        Map<String, String> records = new HashMap<>();
        int at = 0;
        while (at < data.length) {
            int space = at;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            if (space >= data.length) {
                break;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, at, space - at, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                break;
            }
            if (length <= space - at || at + length > data.length) {
                break;
            }
            String record = new String(data, space + 1, at + length - space - 2, StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            if (equals > 0) {
                records.put(record.substring(0, equals), record.substring(equals + 1));
            }
            at += length;
        }
        return records;
    }

    /** A NUL-terminated string field, as in a GNU long-name member's data. */
    static String string(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** {@code "<length> key=value\n"} where length counts the whole record, its own digits included. */
    private static String paxRecord(String key, String value) {
        int body = key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length + 3;
        int length = body + Integer.toString(body).length();
        if (Integer.toString(length).length() != Integer.toString(body).length()) {
            length++;
        }
        return length + " " + key + "=" + value + "\n";
    }

    private static long number(byte[] header, int offset, int length) {
        if ((header[offset] & 0x80) != 0) { // GNU base-256: big-endian two's complement after the marker bit
            long value = header[offset] & 0x3f;
            for (int i = 1; i < length; i++) {
                value = (value << 8) | (header[offset + i] & 0xff);
            }
            return value;
        }
        String text = new String(header, offset, length, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
        return text.isEmpty() ? 0 : Long.parseLong(text, 8);
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = String.format(Locale.ROOT, "%0" + (length - 1) + "o", value);
        byte[] bytes = digits.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, length - 1);
        header[offset + length - 1] = 0;
    }

    private static void setChecksum(byte[] header) {
        Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        byte[] digits = String.format(Locale.ROOT, "%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, header, 148, 6);
        header[154] = 0;
        header[155] = ' ';
    }

    private static String lastComponent(String name) {
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static byte[] truncate(byte[] name) {
        return name.length <= MAX_USTAR_NAME ? name : Arrays.copyOfRange(name, name.length - MAX_USTAR_NAME, name.length);
    }
}
