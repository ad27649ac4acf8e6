package dev.stevedore.image.registry;

import java.util.List;
import java.util.Objects;

/**
 * Everything a registry client needs that does not come from the image reference. Built by name from
 * {@link #defaults}: {@code RegistrySettings.defaults(auths).withSkipTlsVerify(true).withLimits(limits)}.
 *
 * @param auths         per-registry credentials and transport from the task; hosts not listed use the defaults
 * @param skipTlsVerify the task-wide default for TLS verification (false: verify)
 * @param limits        timeouts and retries
 * @param machine       the environment and Docker config of the machine the task runs on
 * @param push          how blobs go up and whether missing Harbor projects are created ({@code chunk_size}, {@code create_project})
 * @param form          the task's argument form, so that errors suggest keys it accepts
 * @param events        told of waits and requests, for the task's output
 */
public record RegistrySettings(List<RegistryAuth> auths, boolean skipTlsVerify, RetryLimits limits, MachineConfig machine,
                               PushOptions push, TaskForm form, RegistryEvents events) {

    public RegistrySettings {
        auths = List.copyOf(auths);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(push, "push");
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(events, "events");
    }

    /**
     * Sensible defaults for a real run: verified TLS, {@link RetryLimits#DEFAULT}, the process environment, a task
     * in the newer form that uploads in one request per blob and reports nothing.
     */
    public static RegistrySettings defaults(List<RegistryAuth> auths) {
        return new RegistrySettings(auths, false, RetryLimits.DEFAULT, MachineConfig.ofProcess(), PushOptions.defaults(),
                TaskForm.NEWER, RegistryEvents.NONE);
    }

    public RegistrySettings withSkipTlsVerify(boolean skip) {
        return new RegistrySettings(auths, skip, limits, machine, push, form, events);
    }

    public RegistrySettings withLimits(RetryLimits newLimits) {
        return new RegistrySettings(auths, skipTlsVerify, newLimits, machine, push, form, events);
    }

    public RegistrySettings withMachine(MachineConfig newMachine) {
        return new RegistrySettings(auths, skipTlsVerify, limits, newMachine, push, form, events);
    }

    public RegistrySettings withEvents(RegistryEvents newEvents) {
        return new RegistrySettings(auths, skipTlsVerify, limits, machine, push, form, newEvents);
    }

    public RegistrySettings withPush(PushOptions newPush) {
        return new RegistrySettings(auths, skipTlsVerify, limits, machine, newPush, form, events);
    }

    /** PATCH chunks of {@code size} bytes for every blob (0: one request, the default). */
    public RegistrySettings withChunkSize(long size) {
        return withPush(push.withChunkSize(size));
    }

    /** The task's chunk size, 0 for one request per blob. */
    public long chunkSize() {
        return push.chunkSize();
    }

    /** The same settings for a task in {@code newForm}. */
    public RegistrySettings withForm(TaskForm newForm) {
        return new RegistrySettings(auths, skipTlsVerify, limits, machine, push, newForm, events);
    }

    /**
     * These settings' connections with what the task chose that is not about connecting: its events, push
     * options and form. For test seams that replace timeouts and the environment.
     */
    public RegistrySettings keeping(RegistrySettings task) {
        return withEvents(task.events()).withPush(task.push()).withForm(task.form());
    }
}
