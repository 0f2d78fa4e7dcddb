package org.ketamineadvisor.advisor.launch;

import java.util.Collection;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;

/** The signed-in clinician, carrying the launch context the EHR returned with the tokens. */
public class LaunchedUser extends DefaultOidcUser {

  private static final long serialVersionUID = 1L;

  private final SmartSession session;

  LaunchedUser(Collection<? extends GrantedAuthority> authorities, OidcIdToken idToken, SmartSession session) {
    super(authorities, idToken, "sub");
    this.session = session;
  }

  public SmartSession session() {
    return session;
  }

  @Override
  public String toString() {
    return "LaunchedUser[" + session + "]";
  }
}
