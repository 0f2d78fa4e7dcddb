package org.ketamineadvisor.advisor.launch;

import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The app's public keys, which EHRs fetch to verify its {@code private_key_jwt} client assertions. */
@RestController
class JwksController {

  private final ClientKeys keys;

  JwksController(ClientKeys keys) {
    this.keys = keys;
  }

  @GetMapping(value = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> jwks() {
    return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(keys.publicJwks());
  }
}
