package io.rsock.packet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import io.rsock.packet.firewall.FirewallManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run killed with SIGKILL cannot remove its table; the next run's removeStale does, and leaves
 * the tables of runs still alive alone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StaleFirewallTableTest {

    @Test
    void aKilledRunsTableIsRemovedByTheNextRunButALiveOnesIsNot() throws Exception {
        Lab.assumeAvailable();
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            LabProcess killed = Lab.started(net.start(Side.SERVER, "fw-killed", Lab.main("firewall", "tcp:10001:" + Lab.CLIENT + ":0")));
            LabProcess alive = Lab.started(net.start(Side.SERVER, "fw-alive", Lab.main("firewall", "tcp:10002:" + Lab.CLIENT + ":0")));
            String killedTable = "rsock_" + killed.pid();
            String aliveTable = "rsock_" + alive.pid();
            String before = net.run(Side.SERVER, "nft", "list", "tables");
            assertTrue(before.contains("table inet " + killedTable) && before.contains("table inet " + aliveTable), before);

            killed.kill();
            assertFalse(killed.isAlive());
            assertTrue(net.run(Side.SERVER, "nft", "list", "tables").contains(killedTable), "SIGKILL cannot run cleanup: the table must still be there");

            FirewallManager next = FirewallManager.create(FirewallManager.Backend.NFTABLES, Lab.runnerIn(net, Side.SERVER));
            assertEquals(List.of("inet " + killedTable), next.removeStale());
            String after = net.run(Side.SERVER, "nft", "list", "tables");
            assertFalse(after.contains(killedTable), after);
            assertTrue(after.contains(aliveTable), "removeStale took the table of a run that is alive:\n" + after);
            assertEquals(List.of(), next.removeStale(), "nothing more to remove");
            alive.stop(5000);
        }
    }
}
