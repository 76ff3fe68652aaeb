package dev.magpie.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class JvmIdentityTest {

    @Test
    void thisJvmIsAliveAndItsLabelParsesBack() {
        JvmIdentity self = JvmIdentity.current();

        assertThat(self.isAlive()).isTrue();
        assertThat(self.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(JvmIdentity.parse(self.host(), self.label())).contains(self);
    }

    @Test
    void anEndedProcessOrAReusedPidIsNotAlive() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        JvmIdentity self = JvmIdentity.current();

        assertThat(new JvmIdentity(self.host(), process.pid(), self.startMillis()).isAlive()).isFalse();
        assertThat(new JvmIdentity(self.host(), self.pid(), self.startMillis() - 60_000).isAlive()).isFalse();
    }

    @Test
    void aLivePidWhoseOwnerCouldNotReadItsStartTimeCountsAsAlive() {
        JvmIdentity self = JvmIdentity.current();

        assertThat(new JvmIdentity(self.host(), self.pid(), 0).isAlive()).isTrue();
    }

    @Test
    void labelsThatAreNotIdentitiesAreIgnored() {
        assertThat(JvmIdentity.parse("host", "garbage")).isEqualTo(Optional.empty());
        assertThat(JvmIdentity.parse("host", "12@x")).isEmpty();
        assertThat(JvmIdentity.parse(null, "12@34")).isEmpty();
    }
}
