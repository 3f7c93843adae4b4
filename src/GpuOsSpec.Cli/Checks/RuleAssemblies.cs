using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using GpuOsSpec.Tracing.Platform.Files;

namespace GpuOsSpec.Cli.Checks;

/// <summary>
/// Rules of a user's own, from assemblies given with --rules-assembly: every public, non-abstract class with a public
/// parameterless constructor that implements <see cref="ICheckRule"/>. Each assembly loads in a context of its own
/// (its dependencies from its own folder), except GpuOsSpec.Tracing, which is gpuosspec's, so the interface is one
/// type.
/// </summary>
internal static partial class RuleAssemblies
{
    /// <summary>The built-in rules and those of <paramref name="paths"/>, in that order.</summary>
    /// <exception cref="InvalidDataException">A path that is no regular file or no .NET assembly, an assembly without
    /// rules, a rule that cannot be made, a bad or duplicate id.</exception>
    internal static IReadOnlyList<ICheckRule> With(IReadOnlyList<string> paths)
    {
        var rules = new List<ICheckRule>(CheckRules.BuiltIn);
        foreach (string path in paths)
        {
            string full = Path.GetFullPath(path);
            if (RegularFile.Problem(full) is { } problem)
            {
                throw new InvalidDataException($"--rules-assembly {full} {problem}.");
            }
            Assembly assembly;
            try
            {
                assembly = new RuleLoadContext(full).LoadFromAssemblyPath(full);
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                throw new InvalidDataException($"--rules-assembly {full} could not be loaded as a .NET assembly: {ex.Message}");
            }
            var found = new List<ICheckRule>();
            Type[] types;
            try
            {
                types = assembly.GetExportedTypes();
            }
            catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException or FileLoadException)
            {
                throw new InvalidDataException($"--rules-assembly {full}: its types could not be read ({ex.Message}); build it against GpuOsSpec.Tracing {typeof(ICheckRule).Assembly.GetName().Version} or older.");
            }
            foreach (var type in types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICheckRule).IsAssignableFrom(t)))
            {
                if (type.GetConstructor(Type.EmptyTypes) is null)
                {
                    throw new InvalidDataException($"--rules-assembly {full}: the rule {type.FullName} has no public parameterless constructor.");
                }
                ICheckRule rule;
                try
                {
                    rule = (ICheckRule)Activator.CreateInstance(type)!;
                }
                catch (TargetInvocationException ex)
                {
                    throw new InvalidDataException($"--rules-assembly {full}: the rule {type.FullName} could not be made: {ex.InnerException?.Message ?? ex.Message}");
                }
                if (!RuleId().IsMatch(rule.Id ?? ""))
                {
                    throw new InvalidDataException($"--rules-assembly {full}: the rule {type.FullName} has the id \"{rule.Id}\"; an id is lower-case letters, digits and dashes, starting with a letter.");
                }
                if (rules.Concat(found).FirstOrDefault(r => r.Id == rule.Id) is { } other)
                {
                    throw new InvalidDataException($"--rules-assembly {full}: the rule {type.FullName} has the id \"{rule.Id}\", which {other.GetType().FullName} has already.");
                }
                if (!double.IsFinite(rule.DefaultThreshold) || rule.DefaultThreshold < 0)
                {
                    throw new InvalidDataException($"--rules-assembly {full}: the rule {rule.Id} has the default threshold {rule.DefaultThreshold}; a threshold is a finite number of at least 0.");
                }
                found.Add(rule);
            }
            if (found.Count == 0)
            {
                throw new InvalidDataException($"--rules-assembly {full} holds no rule: no public, non-abstract class implements {typeof(ICheckRule).FullName}.");
            }
            rules.AddRange(found);
        }
        return rules;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex RuleId();

    // A user's assembly and its own dependencies, from its folder; the contract (GpuOsSpec.Tracing) and the framework
    // come from gpuosspec's own context.
    private sealed class RuleLoadContext(string path) : AssemblyLoadContext($"rules:{path}")
    {
        private readonly AssemblyDependencyResolver _resolver = new(path);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name == typeof(ICheckRule).Assembly.GetName().Name)
            {
                return null;
            }
            return _resolver.ResolveAssemblyToPath(assemblyName) is { } dependency ? LoadFromAssemblyPath(dependency) : null;
        }
    }
}
