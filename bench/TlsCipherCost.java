import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What decrypting a TLS 1.3 download costs this JVM: MEGABYTES of AES-GCM records of 16 KB (TLS's
 * largest) decrypted one by one, as the HTTP client does for a pull over HTTPS, from a cold start
 * (the JIT's warm-up is part of what a short run pays). Prints seconds and MB/s per key size.
 *
 * <p>Usage: {@code java [JVM options] bench/TlsCipherCost.java MEGABYTES}; compare with
 * {@code openssl speed -evp aes-128-gcm}, the machine's native rate (Go's TLS is close to it).
 */
public final class TlsCipherCost {

    private static final int RECORD = 16 * 1024;
    private static final int DISTINCT_RECORDS = 64;

    public static void main(String[] args) throws Exception {
        long bytes = Long.parseLong(args[0]) * 1024 * 1024;
        for (int keyBits : new int[] {128, 256}) {
            measure(keyBits, bytes);
        }
    }

    private static void measure(int keyBits, long bytes) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[keyBits / 8];
        random.nextBytes(key);
        SecretKeySpec spec = new SecretKeySpec(key, "AES");
        // Real records, each with its own nonce, so every decryption checks a real tag.
        byte[][] records = new byte[DISTINCT_RECORDS][];
        byte[][] nonces = new byte[DISTINCT_RECORDS][12];
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        for (int i = 0; i < DISTINCT_RECORDS; i++) {
            random.nextBytes(nonces[i]);
            byte[] plain = new byte[RECORD];
            random.nextBytes(plain);
            cipher.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(128, nonces[i]));
            records[i] = cipher.doFinal(plain);
        }
        byte[] out = new byte[RECORD + 16];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long done = 0;
        for (int i = 0; done < bytes; i++) {
            int r = i % DISTINCT_RECORDS;
            cipher.init(Cipher.DECRYPT_MODE, spec, new GCMParameterSpec(128, nonces[r]));
            done += cipher.doFinal(records[r], 0, records[r].length, out, 0);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
        System.out.printf("AES-%d-GCM: %d MB in 16 KB records decrypted in %.2f s (%.2f s of this thread's CPU), %.0f MB/s%n",
                keyBits, done >> 20, seconds, cpuSeconds, (done >> 20) / seconds);
    }
}
