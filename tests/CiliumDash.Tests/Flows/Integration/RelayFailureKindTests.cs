using System.Security.Authentication;
using CiliumDash.Flows;
using CiliumDash.Shared;
using Grpc.Core;

namespace CiliumDash.Tests.Flows.Integration;

/// <summary>How the relay source judges a failure, and what it tells the user for the ones only a person can fix.</summary>
public sealed class RelayFailureKindTests
{
    private const string Address = "http://127.0.0.1:4245";

    [Theory]
    [InlineData(StatusCode.Unimplemented, "does not serve observer.Observer")]
    [InlineData(StatusCode.PermissionDenied, "refused the call: PermissionDenied")]
    [InlineData(StatusCode.Unauthenticated, "refused the call: Unauthenticated")]
    public void CallRefused_PersistentWithASpecificMessage(StatusCode code, string message)
    {
        var error = new RpcException(new Status(code, "detail"));

        Assert.Equal(FailureKind.Persistent, RelayFlowSource.Classify(error));
        Assert.Contains(message, RelayFlowSource.Describe(error, Address), StringComparison.Ordinal);
    }

    [Fact]
    public void TlsHandshakeFailed_Persistent()
    {
        var tls = new HttpRequestException("The SSL connection could not be established", new AuthenticationException("RemoteCertificateChainErrors"));

        Assert.Equal(FailureKind.Persistent, RelayFlowSource.Classify(new RpcException(new Status(StatusCode.Unavailable, "ssl", tls))));
    }

    [Fact]
    public void Unreachable_Transient()
    {
        var refused = new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel.", new HttpRequestException("Connection refused")));

        Assert.Equal(FailureKind.Transient, RelayFlowSource.Classify(refused));
        Assert.StartsWith($"hubble-relay not reachable at {Address}: Connection refused", RelayFlowSource.Describe(refused, Address), StringComparison.Ordinal);
    }

    [Fact]
    public void Defect_Fatal() =>
        Assert.Equal(FailureKind.Fatal, RelayFlowSource.Classify(new InvalidOperationException("a defect")));
}
