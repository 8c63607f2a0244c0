package io.raregen.migrations;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The outage drills' server: stopped it refuses connections, started again it has the same data on the same port. */
class RestartablePostgresTest {

    @Test
    void stopRefusesConnections_startBringsTheSameDataBack() throws Exception {
        try (RestartablePostgres pg = RestartablePostgres.start("selftest");
             TestDatabase db = TestDatabase.create(pg.adminUrl())) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO identities (pubkey) VALUES ('" + "02" + "ab".repeat(32) + "')");
            }
            Connection open = db.connect();
            pg.stop();
            assertThrows(SQLException.class, () -> DriverManager.getConnection(db.jdbcUrl()).close());
            assertThrows(SQLException.class, () -> open.createStatement().execute("SELECT 1"), "open sessions are cut");
            pg.start();
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM identities")) {
                rs.next();
                assertEquals(1, rs.getLong(1));
            }
        }
    }
}
