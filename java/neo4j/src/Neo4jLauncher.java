import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * Runs Neo4j Community 5.26 as a real server (Bolt on the loopback address written in neo4j.conf)
 * for symbiosis: `symbiosis graph start --engine neo4j` starts this class in its own JVM.
 *
 * Why a launcher rather than the Neo4j tarball: Maven Central carries the Neo4j modules but not the
 * server distribution, and the project may only download from Maven Central, PyPI and Debian. The
 * DBMS built here is the same kernel, Cypher runtime and Bolt server as `neo4j console`.
 *
 * Usage: java -cp classes:lib/* Neo4jLauncher HOME_DIR PASSWORD_FILE
 *   HOME_DIR/conf/neo4j.conf  the settings (written by symbiosis.graph.neo4j_local)
 *   PASSWORD_FILE             the password of the `neo4j` user, one line (a file, not an argument,
 *                             so that it never shows in `ps`)
 * Prints "ready" once Bolt accepts connections; SIGTERM shuts the DBMS down cleanly.
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Neo4jLauncher HOME_DIR PASSWORD_FILE");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        String password = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8).strip();
        long t0 = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(home.resolve("conf").resolve("neo4j.conf"))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping");
            dbms.shutdown();
            System.out.println("stopped");
            stopped.countDown();
        }));
        setPassword(dbms.database("system"), password);
        System.out.printf("ready in %.2f s%n", (System.nanoTime() - t0) / 1e9);
        System.out.flush();
        stopped.await();
    }

    /** The `neo4j` user starts with password "neo4j" (change required): give it ours, once. */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (QueryExecutionException e) {
            // Restarts of the same home: the password is already ours.
            if (!e.getMessage().contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }
}
