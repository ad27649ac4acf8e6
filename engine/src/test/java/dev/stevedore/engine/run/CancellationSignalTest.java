package dev.stevedore.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.spi.Cancellation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CancellationSignalTest {

    @Test
    void actionsRunOnceInTheOrderRegistered() {
        CancellationSignal signal = new CancellationSignal();
        List<String> ran = new ArrayList<>();
        signal.onCancel(() -> ran.add("first"));
        signal.onCancel(() -> ran.add("second"));

        signal.cancel();
        signal.cancel();

        assertTrue(signal.isCancelled());
        assertEquals(List.of("first", "second"), ran);
    }

    @Test
    void aWithdrawnActionDoesNotRunAndTheOthersStillDo() {
        CancellationSignal signal = new CancellationSignal();
        List<String> ran = new ArrayList<>();
        Cancellation.Registration withdrawn = signal.onCancel(() -> ran.add("withdrawn"));
        signal.onCancel(() -> ran.add("kept"));

        withdrawn.close();
        withdrawn.close(); // closing twice is harmless, as AutoCloseable's users expect
        signal.cancel();

        assertEquals(List.of("kept"), ran);
    }

    @Test
    void theSameActionRegisteredTwiceIsTwoRegistrations() {
        CancellationSignal signal = new CancellationSignal();
        List<String> ran = new ArrayList<>();
        Runnable action = () -> ran.add("ran");
        Cancellation.Registration one = signal.onCancel(action);
        signal.onCancel(action);

        one.close();
        signal.cancel();

        assertEquals(List.of("ran"), ran);
    }

    @Test
    void manyWithdrawnRegistrationsLeaveNothingToRun() {
        // A playbook of many verify tasks registers and withdraws once per task; none may act at the end.
        CancellationSignal signal = new CancellationSignal();
        List<Integer> ran = new ArrayList<>();
        for (int task = 0; task < 10_000; task++) {
            int number = task;
            try (Cancellation.Registration registration = signal.onCancel(() -> ran.add(number))) {
                assertTrue(ran.isEmpty());
            }
        }
        signal.cancel();

        assertEquals(List.of(), ran);
    }

    @Test
    void anActionRegisteredAfterTheCancellationRunsAtOnce() {
        CancellationSignal signal = new CancellationSignal();
        signal.cancel();
        List<String> ran = new ArrayList<>();

        Cancellation.Registration registration = signal.onCancel(() -> ran.add("late"));

        assertEquals(List.of("late"), ran);
        registration.close();
        signal.cancel();
        assertEquals(List.of("late"), ran);
    }

    @Test
    void aFailingActionDoesNotKeepTheOthersFromRunning() {
        CancellationSignal signal = new CancellationSignal();
        List<String> ran = new ArrayList<>();
        signal.onCancel(() -> {
            throw new IllegalStateException("clean-up failed");
        });
        signal.onCancel(() -> ran.add("after"));

        signal.cancel();

        assertEquals(List.of("after"), ran);
    }
}
