namespace Dialtone.Daemon.Api;

/// <summary>The error body on the Twilio-compatible routes, in Twilio's shape, which its client libraries parse.</summary>
public sealed record TwilioError(int Code, string Message, string MoreInfo, int Status);
