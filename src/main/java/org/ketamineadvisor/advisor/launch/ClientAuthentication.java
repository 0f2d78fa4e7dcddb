package org.ketamineadvisor.advisor.launch;

import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

/** How the app proves its identity at an EHR's token endpoint ({@code advisor.ehrs[n].client-authentication}). */
public enum ClientAuthentication {
  /** A public client: PKCE only, no secret. */
  NONE(ClientAuthenticationMethod.NONE),
  /** A confidential client with a shared secret sent as HTTP Basic credentials. */
  CLIENT_SECRET_BASIC(ClientAuthenticationMethod.CLIENT_SECRET_BASIC),
  /** A confidential client signing a JWT assertion with its own private key (SMART Backend/asymmetric auth). */
  PRIVATE_KEY_JWT(ClientAuthenticationMethod.PRIVATE_KEY_JWT);

  private final ClientAuthenticationMethod method;

  ClientAuthentication(ClientAuthenticationMethod method) {
    this.method = method;
  }

  ClientAuthenticationMethod method() {
    return method;
  }
}
