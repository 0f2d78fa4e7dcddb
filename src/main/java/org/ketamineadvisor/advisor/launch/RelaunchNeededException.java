package org.ketamineadvisor.advisor.launch;

/** The launched session can no longer reach the EHR (no session, token expired and not refreshable): launch again. */
public class RelaunchNeededException extends RuntimeException {

  public RelaunchNeededException(String message, Throwable cause) {
    super(message, cause);
  }
}
