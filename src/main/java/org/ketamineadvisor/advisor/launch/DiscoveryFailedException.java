package org.ketamineadvisor.advisor.launch;

/** An allow-listed EHR's SMART configuration could not be read or is unusable; the message says where and why. */
public class DiscoveryFailedException extends RuntimeException {

  public DiscoveryFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  public DiscoveryFailedException(String message) {
    super(message);
  }
}
