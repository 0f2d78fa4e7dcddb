package org.ketamineadvisor.advisor.launch;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * The app's own key pairs for {@code private_key_jwt}, read from the JWK set files the configuration names (never
 * from the repository). Their public halves are published at {@code /.well-known/jwks.json}.
 */
public class ClientKeys {

  private final Map<String, JWK> signingKeys = new LinkedHashMap<>();
  private final List<JWK> publicKeys = new ArrayList<>();

  public ClientKeys(List<EhrRegistration> ehrs, ResourceLoader resources) {
    for (EhrRegistration ehr : ehrs) {
      if (ehr.clientAuthentication() != ClientAuthentication.PRIVATE_KEY_JWT) {
        continue;
      }
      JWK key = signingKey(ehr, load(ehr, resources));
      signingKeys.put(ehr.registrationId(), key);
      JWK publicKey = key.toPublicJWK();
      if (publicKeys.stream().noneMatch(known -> known.equals(publicKey))) {
        publicKeys.add(publicKey);
      }
    }
  }

  /** The private key the app signs client assertions with for this EHR; null when it uses no private_key_jwt. */
  public JWK signingKey(String registrationId) {
    return signingKeys.get(registrationId);
  }

  /** The public keys of every configured key pair, as a JWK set document. */
  public Map<String, Object> publicJwks() {
    return new JWKSet(publicKeys).toJSONObject(true);
  }

  private static JWKSet load(EhrRegistration ehr, ResourceLoader resources) {
    Resource resource = resources.getResource(ehr.jwkSetLocation());
    try (InputStream in = resource.getInputStream()) {
      return JWKSet.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("advisor.ehrs (" + ehr.registrationId() + ").jwk-set-location "
          + ehr.jwkSetLocation() + " cannot be read: " + e.getMessage()
          + ". Point it at a JWK set file with the app's private key, e.g. file:/etc/ketamine-advisor/client-keys.json", e);
    } catch (ParseException e) {
      throw new IllegalStateException("advisor.ehrs (" + ehr.registrationId() + ").jwk-set-location "
          + ehr.jwkSetLocation() + " is not a JWK set: " + e.getMessage(), e);
    }
  }

  private static JWK signingKey(EhrRegistration ehr, JWKSet set) {
    return set.getKeys().stream()
        .filter(JWK::isPrivate)
        .filter(key -> ehr.keyId() == null || ehr.keyId().equals(key.getKeyID()))
        .filter(key -> key.getKeyType().getValue().equals("RSA") || key.getKeyType().getValue().equals("EC"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("advisor.ehrs (" + ehr.registrationId() + "): the JWK set at "
            + ehr.jwkSetLocation() + " holds no private RSA or EC key"
            + (ehr.keyId() == null ? "" : " with kid '" + ehr.keyId() + "'")
            + ". SMART private_key_jwt needs one (RS384 or ES384)."));
  }
}
