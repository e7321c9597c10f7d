package ${package};

import io.rsock.api.ConnTransport;
import io.rsock.api.Role;
import io.rsock.testkit.tck.DatagramComplianceTest;

/** The transport against rsock's compliance kit (TCK), over 127.0.0.1: `mvn verify` runs it. */
class ${transportClass}ComplianceTest extends DatagramComplianceTest {
    @Override
    protected ConnTransport newTransport(Role role) {
        return new ${transportClass}();
    }
}
