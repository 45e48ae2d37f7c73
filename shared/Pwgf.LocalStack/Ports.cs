using System.Net;
using System.Net.Sockets;

namespace Pwgf.LocalStack;

/// <summary>TCP ports on the loopback interface.</summary>
public static class Ports
{
    /// <summary>True when nothing can bind 127.0.0.1:<paramref name="port"/>, i.e. someone listens there.</summary>
    public static bool InUse(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>The first port at or above <paramref name="start"/> that nobody listens on.</summary>
    public static int FirstFreeFrom(int start)
    {
        for (int port = start; port < start + 500; port++)
        {
            if (!InUse(port)) return port;
        }
        throw new LocalStackException($"no free TCP port between {start} and {start + 499}");
    }

    /// <summary>A port the kernel considers free right now.</summary>
    public static int AnyFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
