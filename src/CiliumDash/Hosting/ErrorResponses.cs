namespace CiliumDash.Hosting;

/// <summary>
/// Turns exceptions into responses inside the pipeline. Kestrel answers an unhandled exception itself, after the
/// app, without running the response's OnStarting callbacks, so that answer would lack the security headers; here
/// the error goes out as an ordinary response and gets them. A request Kestrel rejects while it is read (a body over
/// its limit, a malformed body) keeps its status (413, 400); anything else is a 500 whose details stay in the log.
/// </summary>
public static class ErrorResponses
{
    public static IApplicationBuilder UseErrorResponses(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorResponses))
                    .LogDebug("Rejected request {Method} {Path}: {ErrorType}: {Error}", context.Request.Method, context.Request.Path.Value, ex.GetType().Name, ex.Message);
                context.Response.Clear();
                await Results.Problem(ex.Message, statusCode: ex.StatusCode).ExecuteAsync(context);
            }
            catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorResponses))
                    .LogError(ex, "Unhandled {ErrorType} for {Method} {Path}", ex.GetType().Name, context.Request.Method, context.Request.Path.Value);
                context.Response.Clear();
                await Results.Problem("the dashboard failed to answer this request; its log has the details", statusCode: StatusCodes.Status500InternalServerError)
                    .ExecuteAsync(context);
            }
        });
}
