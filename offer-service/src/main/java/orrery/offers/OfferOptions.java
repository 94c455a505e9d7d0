package orrery.offers;

import orrery.protocol.mesos.MasterInfo;

/**
 * @param masterInfo sent to frameworks in SUBSCRIBED; its id prefixes framework and offer ids
 * @param heartbeatIntervalSeconds how often connected frameworks get a HEARTBEAT event (Mesos: 15 s)
 */
public record OfferOptions(MasterInfo masterInfo, double heartbeatIntervalSeconds) {

  public static final double DEFAULT_HEARTBEAT_SECONDS = 15;
}
