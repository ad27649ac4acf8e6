package dev.stevedore.image.copy;

/** What planning one image gave: a plan to run, or already its result (it failed, or was skipped). */
sealed interface PlanOutcome permits PlanOutcome.ToCopy, PlanOutcome.Settled {

    /** The image is to be copied (or is up to date) as {@code plan} says. */
    record ToCopy(ImagePlan plan) implements PlanOutcome {
    }

    /** The image will not be copied: {@code result} says why. */
    record Settled(ImageResult result) implements PlanOutcome {
    }
}
