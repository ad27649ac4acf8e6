package dev.stevedore.image.registry.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little of DER (X.690) that key files need: reading a structure far enough to tell PKCS#8,
 * PKCS#1, SEC1 and PKCS#12 apart, and writing the PKCS#8 envelope around a PKCS#1 or SEC1 key, which
 * the JDK's {@code KeyFactory} reads only in that envelope. Definite lengths only, as DER requires.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]} constructed, as SEC1's curve parameters are tagged. */
    static final int CONTEXT_0 = 0xA0;

    private Der() {
    }

    /** One element: its tag and the bytes of its content. */
    record Element(int tag, byte[] content) {

        /** The elements inside a SEQUENCE or a constructed context tag. */
        List<Element> children() throws IOException {
            if ((tag & 0x20) == 0) {
                throw new IOException("not a constructed DER element");
            }
            return parseAll(content);
        }

        /** A small non-negative INTEGER (a version number), or -1 for anything else. */
        int smallInteger() {
            if (tag != INTEGER || content.length == 0 || content.length > 2 || content[0] < 0) {
                return -1;
            }
            int value = 0;
            for (byte b : content) {
                value = (value << 8) | (b & 0xFF);
            }
            return value;
        }

        /** An OBJECT IDENTIFIER in dotted form, or null when this is not one. */
        String oid() {
            if (tag != OID || content.length == 0) {
                return null;
            }
            StringBuilder dotted = new StringBuilder();
            long value = 0;
            boolean first = true;
            for (byte b : content) {
                value = (value << 7) | (b & 0x7F);
                if ((b & 0x80) != 0) {
                    continue;
                }
                if (first) {
                    int root = value < 40 ? 0 : value < 80 ? 1 : 2;
                    dotted.append(root).append('.').append(value - 40L * root);
                    first = false;
                } else {
                    dotted.append('.').append(value);
                }
                value = 0;
            }
            return dotted.toString();
        }

        /** The element again, tag and length included. */
        byte[] encoded() {
            return Der.encode(tag, content);
        }
    }

    /** The one element {@code der} holds; trailing bytes are an error. */
    static Element parse(byte[] der) throws IOException {
        List<Element> all = parseAll(der);
        if (all.size() != 1) {
            throw new IOException("not a single DER structure");
        }
        return all.get(0);
    }

    private static List<Element> parseAll(byte[] der) throws IOException {
        List<Element> elements = new ArrayList<>();
        int position = 0;
        while (position < der.length) {
            int tag = der[position++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new IOException("DER tags above 30 are not used in key files");
            }
            if (position >= der.length) {
                throw new IOException("DER element cut short");
            }
            int first = der[position++] & 0xFF;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int bytes = first & 0x7F;
                if (bytes == 0 || bytes > 4 || position + bytes > der.length) {
                    throw new IOException("DER length is indefinite or too large");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[position++] & 0xFF);
                }
            }
            if (length > der.length - position) {
                throw new IOException("DER element longer than its file");
            }
            elements.add(new Element(tag, Arrays.copyOfRange(der, position, position + (int) length)));
            position += (int) length;
        }
        return elements;
    }

    /** A tag, its length in DER's shortest form, and the content. */
    static byte[] encode(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
                out.write(length >>> shift);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** A SEQUENCE of already encoded elements. */
    static byte[] sequence(byte[]... encodedElements) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] element : encodedElements) {
            content.writeBytes(element);
        }
        return encode(SEQUENCE, content.toByteArray());
    }
}
