using System.Net;

namespace CiliumDash.Hosting;

/// <summary>A comma-separated list of IPs and CIDRs from configuration (trusted proxies).</summary>
public sealed class AddressList
{
    private readonly List<IPNetwork> _networks = [];

    private AddressList(IEnumerable<IPNetwork> networks) => _networks.AddRange(networks);

    public static readonly AddressList Empty = new([]);

    public IReadOnlyList<IPNetwork> Networks => _networks;

    public static bool TryParse(string? text, out AddressList list, out string? error)
    {
        var networks = new List<IPNetwork>();
        error = null;
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(part, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(part, out var ip))
            {
                networks.Add(new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                error = $"'{part}' is not an IP address or CIDR";
                list = Empty;
                return false;
            }
        }

        list = new AddressList(networks);
        return true;
    }

    public static AddressList Parse(string? text) => TryParse(text, out var list, out _) ? list : Empty;

    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(a));
    }
}
