package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to create: a snapshot, environment, labels, volumes, region and the auto-stop / auto-delete intervals
 * that clean up a sandbox whose creator died. Immutable; build with {@link #builder()}.
 */
public final class DaytonaCreateRequest {

    private final String snapshot;
    private final String name;
    private final Map<String, String> env;
    private final Map<String, String> labels;
    private final List<DaytonaVolume> volumes;
    private final String target;
    private final Integer autoStopMinutes;
    private final Integer autoDeleteMinutes;
    private final Boolean networkBlockAll;

    private DaytonaCreateRequest(Builder b) {
        this.snapshot = b.snapshot;
        this.name = b.name;
        this.env = Map.copyOf(b.env);
        this.labels = Map.copyOf(b.labels);
        this.volumes = List.copyOf(b.volumes);
        this.target = b.target;
        this.autoStopMinutes = b.autoStopMinutes;
        this.autoDeleteMinutes = b.autoDeleteMinutes;
        this.networkBlockAll = b.networkBlockAll;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder newBuilder() {
        Builder b = new Builder().snapshot(snapshot).name(name).target(target);
        b.env.putAll(env);
        b.labels.putAll(labels);
        b.volumes.addAll(volumes);
        b.autoStopMinutes = autoStopMinutes;
        b.autoDeleteMinutes = autoDeleteMinutes;
        b.networkBlockAll = networkBlockAll;
        return b;
    }

    /** The snapshot name; Daytona's default snapshot when empty. */
    public Optional<String> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    public Map<String, String> env() {
        return env;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public List<DaytonaVolume> volumes() {
        return volumes;
    }

    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    public Optional<Integer> autoStopMinutes() {
        return Optional.ofNullable(autoStopMinutes);
    }

    public Optional<Integer> autoDeleteMinutes() {
        return Optional.ofNullable(autoDeleteMinutes);
    }

    /** Whether all network traffic of the sandbox is blocked; Daytona's default when empty. */
    public Optional<Boolean> networkBlockAll() {
        return Optional.ofNullable(networkBlockAll);
    }

    /** The {@code CreateSandbox} body of the API. */
    Map<String, Object> toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        snapshot().ifPresent(s -> body.put("snapshot", s));
        name().ifPresent(n -> body.put("name", n));
        if (!env.isEmpty()) {
            body.put("env", env);
        }
        body.put("labels", labels);
        target().ifPresent(t -> body.put("target", t));
        if (!volumes.isEmpty()) {
            List<Map<String, String>> list = new ArrayList<>();
            for (DaytonaVolume v : volumes) {
                Map<String, String> volume = new LinkedHashMap<>();
                volume.put("volumeId", v.volumeId());
                volume.put("mountPath", v.mountPath());
                v.subpath().ifPresent(s -> volume.put("subpath", s));
                list.add(volume);
            }
            body.put("volumes", list);
        }
        autoStopMinutes().ifPresent(m -> body.put("autoStopInterval", m));
        autoDeleteMinutes().ifPresent(m -> body.put("autoDeleteInterval", m));
        networkBlockAll().ifPresent(b -> body.put("networkBlockAll", b));
        return body;
    }

    @Override
    public String toString() {
        return "DaytonaCreateRequest{snapshot=" + snapshot + ", labels=" + labels + ", env=" + env.keySet() + "}";
    }

    /** Builds a {@link DaytonaCreateRequest}; blank strings count as unset. */
    public static final class Builder {
        private String snapshot;
        private String name;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<DaytonaVolume> volumes = new ArrayList<>();
        private String target;
        private Integer autoStopMinutes;
        private Integer autoDeleteMinutes;
        private Boolean networkBlockAll;

        private Builder() {
        }

        public Builder snapshot(String value) {
            this.snapshot = blankToNull(value);
            return this;
        }

        public Builder name(String value) {
            this.name = blankToNull(value);
            return this;
        }

        public Builder env(String key, String value) {
            env.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder env(Map<String, String> values) {
            values.forEach(this::env);
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder labels(Map<String, String> values) {
            values.forEach(this::label);
            return this;
        }

        public Builder volume(DaytonaVolume volume) {
            volumes.add(Objects.requireNonNull(volume, "volume"));
            return this;
        }

        public Builder target(String value) {
            this.target = blankToNull(value);
            return this;
        }

        /** Minutes of inactivity before Daytona stops the sandbox; 0 disables auto-stop. */
        public Builder autoStopMinutes(int minutes) {
            if (minutes < 0) {
                throw new InvalidInputException("autoStopMinutes must not be negative, but was " + minutes
                        + "; pass 0 to never stop the sandbox automatically.");
            }
            this.autoStopMinutes = minutes;
            return this;
        }

        /** Minutes after stopping before Daytona deletes the sandbox; 0 deletes it right after it stops. */
        public Builder autoDeleteMinutes(int minutes) {
            this.autoDeleteMinutes = minutes;
            return this;
        }

        /** Blocks all network traffic of the sandbox ({@code networkBlockAll}), or lets Daytona's default apply. */
        public Builder networkBlockAll(boolean blocked) {
            this.networkBlockAll = blocked;
            return this;
        }

        public DaytonaCreateRequest build() {
            return new DaytonaCreateRequest(this);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
