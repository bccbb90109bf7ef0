// Starts AWS's DynamoDB Local listening on 127.0.0.1 only, on a port the system picks. DynamoDB Local has no bind-address
// option: its DynamoDBProxyServer builds Jetty's `new Server(port)`, which listens on every
// interface, and Sluice's rule is that anything a test starts binds the loopback address. So this
// launcher builds the server exactly as DynamoDB Local's own main does
// (ServerRunner.createServerFromCommandLineArgs), sets the host of its one connector to the
// loopback address and its port to 0 (DynamoDB Local's `-port` refuses 0, so the caller passes any
// valid port and this replaces it: no race for a "free" port), starts it, and prints the port. Run with Java's source launcher (JEP 330, no javac needed; Debian's
// openjdk-17-jre-headless ships the jdk.compiler module) and the jar on the class path.
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      ((ServerConnector) connector).setHost("127.0.0.1");
      ((ServerConnector) connector).setPort(0);
    }
    // Ends with the process that started it: that process holds our stdin open and never writes,
    // so end-of-file means it is gone (even if it was killed and could not stop us).
    Thread parentWatch = new Thread(() -> {
      try {
        while (System.in.read() != -1) {}
      } catch (Exception ignored) {
        // A broken pipe means the same as end-of-file.
      }
      System.exit(0);
    });
    parentWatch.setDaemon(true);
    parentWatch.start();
    proxy.start();
    // Jetty picked the port: tell the Node side which one (it waits for this line).
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    System.out.println("SLUICE_DYNAMODB_LOCAL_LISTENING " + port);
  }
}
