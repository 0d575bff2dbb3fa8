using System.Text;
using CiliumDash.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CiliumDash.Tests.Hosting;

/// <summary>The app's real log output (its formatter, its writer), collected for a test to read line by line.</summary>
public sealed class LogCapture : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }

    public void Register(IServiceCollection services) => services.AddSingleton(new LogOutput(this));

    public override void Write(char value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }
}
