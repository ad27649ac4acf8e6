package dev.stevedore.engine.playbook;

import java.util.List;

/** A parsed playbook: its plays in order. */
public record Playbook(String file, List<Play> plays) {

    public Playbook {
        plays = List.copyOf(plays);
    }
}
