package io.river.connect.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.connect.RiverSinkConnector;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The worker finds the plugin through META-INF/services and validates its config through REST. */
@ExtendWith(SharedConnectCluster.class)
class RiverPluginDiscoveryIT {

    @Test
    void workerListsThePluginAndValidationNamesTheKey() throws Exception {
        EmbeddedConnectCluster connect = SharedConnectCluster.cluster();
        String plugins = String.valueOf(connect.requestGet(connect.endpointForResource("connector-plugins"))
                .getEntity());
        assertTrue(plugins.contains(RiverSinkConnector.class.getName()), plugins);

        Map<String, String> config = Map.of(
                "name", "discovery",
                "connector.class", "RiverSinkConnector",
                "topics", "t",
                "river.wal.sync", "never",
                "river.data.dir", "/tmp/river-discovery");
        ConfigInfos infos = connect.validateConnectorConfig("RiverSinkConnector", config);
        List<ConfigInfo> bad = infos.configs().stream()
                .filter(c -> !c.configValue().errors().isEmpty())
                .collect(Collectors.toList());
        assertEquals(1, infos.errorCount(), bad.toString());
        assertEquals("river.wal.sync", bad.get(0).configValue().name());
        assertTrue(
                bad.get(0).configValue().errors().get(0).contains("one of [batch, always, interval]"),
                bad.get(0).configValue().errors().toString());
    }
}
