package org.ketamineadvisor.advisor.cli;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ketamineadvisor.advisor.fhir.bulk.BackendKey;
import org.ketamineadvisor.advisor.fhir.bulk.BulkException;
import org.ketamineadvisor.advisor.fhir.bulk.OwnerOnly;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backend-key}: makes the key pair an integration engineer registers with the EHR for {@code screen
 * --fhir-base}: the private JWK into a new owner-only file, the public JWK Set on stdout.
 */
@Command(name = "backend-key", mixinStandardHelpOptions = true,
    description = {"Makes a key pair for SMART Backend Services: writes the private JWK (with a kid) to --out, "
        + "owner-only, and prints the public JWK Set to register with the EHR.",
        "Exit status: 0 done; 2 bad usage or the file cannot be written."})
final class BackendKeyCommand implements Callable<Integer> {

  @Option(names = "--alg", paramLabel = "ALG", defaultValue = "ES384",
      description = "ES384 (EC P-384, the default) or RS384 (RSA 2048).")
  String algorithm;

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "New file for the private JWK (not overwritten); give it to screen --private-key.")
  Path file;

  private final PrintWriter out;
  private final PrintWriter err;

  BackendKeyCommand(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    if (Files.exists(file)) {
      err.println("error: " + file + " already exists; the key in it may be registered: give another --out");
      return ExitStatus.UNREADABLE;
    }
    JWK key;
    try {
      key = BackendKey.generate(algorithm);
    } catch (BulkException e) {
      err.println("error: " + e.getMessage());
      return ExitStatus.UNREADABLE;
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      OwnerOnly.folder(parent);
    }
    try {
      OwnerOnly.writeNew(file, key.toJSONString() + "\n");
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // created meanwhile: the check above is only for a clear message before a key is generated
      err.println("error: " + file + " already exists; the key in it may be registered: give another --out");
      return ExitStatus.UNREADABLE;
    }
    out.println(new JWKSet(key.toPublicJWK()).toString(true));
    err.println("private key (kid " + key.getKeyID() + ") written to " + file + ", readable by you only; register the "
        + "public JWK Set above with the EHR, then: screen --fhir-base URL --client-id ID --private-key " + file);
    return ExitStatus.OK;
  }
}
