package dev.stevedore.testsupport;

/**
 * What has crossed a {@link LinkSimulator} so far.
 *
 * @param connections connections clients opened through it
 * @param bytesUp     bytes from clients to the upstream server
 * @param bytesDown   bytes from the upstream server to clients
 */
public record LinkCounters(int connections, long bytesUp, long bytesDown) {
    @Override
    public String toString() {
        return connections + " connections, " + bytesUp + " bytes up, " + bytesDown + " bytes down";
    }
}
