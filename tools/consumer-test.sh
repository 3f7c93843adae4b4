#!/usr/bin/env bash
# The product as a user gets it: pack to a local feed, make a fresh xunit project outside the repository that takes the
# GpuOsSpec package, paste the README's specs into it and run them, build and run the README's tracing sample against
# GpuOsSpec.Tracing, then install the gpuosspec tool from the feed with --global and run it from PATH.
# CI runs this after the tests (.ci/run). Exits non-zero on the first failure.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -1)
work=$(mktemp -d /tmp/gpuosspec-consumer.XXXXXX)
feed=$work/feed
echo "consumer: packing $version to $feed"
dotnet pack "$repo/GpuOsSpec.sln" -c Release -o "$feed" -v quiet -nologo >/dev/null
mkdir -p "$work/spec"
cd "$work/spec"
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="gpuosspec-local" value="$feed" /></packageSources></configuration>
XML
cat > Spec.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <IsPackable>false</IsPackable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="GpuOsSpec" Version="$version" />
    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
    <PackageReference Include="xunit" Version="2.9.3" />
    <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
    <PackageReference Include="FluentAssertions" Version="6.12.0" />
  </ItemGroup>
</Project>
XML
# The README's C# samples, exactly as printed: N-th csharp block of the README.
block() { awk -v want="$1" '/^```csharp/{n++; if (n==want) {c=1; next}} c&&/^```/{exit} c{print}' "$repo/README.md"; }
block 1 > Spec.cs         # "## Writing a spec": the spec a newcomer pastes
block 2 > CommandSpec.cs  # "Command specs": a PyTorch step held to a spec (skips without CUDA, but must compile)
test -s Spec.cs && test -s CommandSpec.cs || { echo "consumer: the README's spec samples were not found"; exit 1; }
grep -q "public sealed class TrainingStep" CommandSpec.cs || { echo "consumer: README block 2 is not the command spec"; exit 1; }
echo "consumer: building and running the README's spec against the package (warnings are errors)"
dotnet test -c Release -nologo 2>&1 | tail -5
# The package's props turn tiered compilation off in the consumer (no JIT inside a phase).
grep -q '"System.Runtime.TieredCompilation": false' bin/Release/net10.0/Spec.runtimeconfig.json ||
  { echo "consumer: the package did not turn tiered compilation off (bin/Release/net10.0/Spec.runtimeconfig.json)"; exit 1; }
# "Tracing your own code": top-level statements against GpuOsSpec.Tracing alone, built and run as a program.
mkdir -p "$work/tracing" && cd "$work/tracing"
cp "$work/spec/nuget.config" .
cat > Sample.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="GpuOsSpec.Tracing" Version="$version" />
  </ItemGroup>
</Project>
XML
block 3 > Program.cs
grep -q "TraceSession.Start" Program.cs || { echo "consumer: README block 3 is not the tracing sample"; exit 1; }
echo "consumer: building and running the README's tracing sample against GpuOsSpec.Tracing"
dotnet run -c Release -nologo 2>&1 | tail -3
cd "$work/spec"
echo "consumer: installing the tool from the feed with --global (into a throwaway DOTNET_CLI_HOME)"
# --global installs under $DOTNET_CLI_HOME/.dotnet/tools, the folder a user puts on PATH; a throwaway home keeps this
# machine's own tools untouched.
export DOTNET_CLI_HOME=$work/home
dotnet tool install --global --add-source "$feed" GpuOsSpec.Cli --version "$version" >/dev/null
PATH=$DOTNET_CLI_HOME/.dotnet/tools:$PATH
command -v gpuosspec >/dev/null || { echo "consumer: gpuosspec is not on PATH after dotnet tool install --global"; exit 1; }
gpuosspec sources
echo "consumer: passed ($work)"
