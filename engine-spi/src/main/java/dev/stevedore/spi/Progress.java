package dev.stevedore.spi;

/**
 * How far a batch of work that moves bytes has got (one copy of many images, say), as a module reports it
 * and the engine shows it: on a terminal, an overall line and one line per item in flight, redrawn in
 * place; elsewhere one line per finished item. The module reports facts (bytes moved, items done); the
 * engine does the arithmetic (rates, ETA) and the drawing. Obtained from {@link TaskLog#progress}; closed
 * when the batch ends, which removes what the terminal shows of it.
 *
 * <p>Thread-safe: every transfer of every item reports from its own worker thread.
 */
public interface Progress extends AutoCloseable {

    /**
     * An item (an image) is in flight from now on: its work has begun. Start an item when its first
     * transfer begins rather than when it is queued, so that only what is moving is shown.
     *
     * @param name  what the item is, as operators read it ({@code nginx:1.27 -> /srv/images})
     * @param bytes the item's size in all, counting bytes that will turn out not to need moving
     */
    Item start(String name, long bytes);

    /**
     * One more item's size became known: {@code bytes}, zero for an item that will not move any. For a batch
     * whose items are sized as they go (a copy that plans its images while earlier ones transfer), opened
     * with the bytes known then; the engine adds each size to them and, until every item is sized, estimates
     * the batch's bytes from the items sized so far. A batch opened with all its bytes never calls it.
     */
    default void sized(long bytes) {
    }

    /** Ends the batch; items still running are dropped from the display. */
    @Override
    void close();

    /** One item of a batch. */
    interface Item {

        /** Bytes that crossed to the destination. */
        void transferred(long bytes);

        /** Bytes that count as done without moving (already present, or mounted). */
        void skipped(long bytes);

        /** The item is done; {@code outcome} says how, in a word or two ({@code copied}, {@code failed}). */
        void finish(String outcome);
    }

    /** A batch whose reports go nowhere. */
    Progress NONE = new Progress() {
        @Override
        public Item start(String name, long bytes) {
            return NO_ITEM;
        }

        @Override
        public void close() {
        }
    };

    /** An item whose reports go nowhere. */
    Item NO_ITEM = new Item() {
        @Override public void transferred(long bytes) { }
        @Override public void skipped(long bytes) { }
        @Override public void finish(String outcome) { }
    };
}
