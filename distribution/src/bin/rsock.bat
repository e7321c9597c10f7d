@echo off
rem rsock launcher for Windows: finds Java 17+ (JAVA_HOME first, then PATH) and Npcap, and runs the
rem host with the jars of lib\ and the plugins of plugins\. Extra JVM flags go in RSOCK_OPTS. Each
rem thing missing is one line and exit code 1. Reviewed, not run: no test of this project runs Windows.
setlocal EnableDelayedExpansion
set "RSOCK_HOME=%~dp0.."

if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA=%JAVA_HOME%\bin\java.exe"
if not defined JAVA (
  where java >nul 2>nul
  if errorlevel 1 (
    echo rsock: Java 17 or newer was not found ^(no JAVA_HOME, no java on the PATH^): install it ^(winget install EclipseAdoptium.Temurin.17.JRE^) or set JAVA_HOME 1>&2
    exit /b 1
  )
  set "JAVA=java"
)

rem Npcap: the raw transports (tcp, icmp) capture and send through its wpcap.dll; plain UDP does not
rem need it. Installed without "WinPcap API-compatible mode" its DLLs sit in System32\Npcap, which
rem Windows does not search: point JNA (and the DLL search, for Packet.dll) there.
set "NPCAP_DIR="
if exist "%SystemRoot%\System32\Npcap\wpcap.dll" (
  set "NPCAP_DIR=%SystemRoot%\System32\Npcap"
) else if exist "%SystemRoot%\System32\wpcap.dll" (
  set "NPCAP_DIR=%SystemRoot%\System32"
)
set "PCAP_OPTS="
if defined NPCAP_DIR (
  set "PATH=!NPCAP_DIR!;%PATH%"
  set "PCAP_OPTS=-Djna.library.path=!NPCAP_DIR!"
) else (
  set "NEEDS_PCAP="
  if /i "%~1"=="server" set "NEEDS_PCAP=1"
  if /i "%~1"=="client" set "NEEDS_PCAP=1"
  if /i "%~1"=="demo" set "NEEDS_PCAP=1"
  echo %* | findstr /i /c:"--type udp" /c:"--type=udp" >nul && set "NEEDS_PCAP="
  if defined NEEDS_PCAP (
    echo rsock: Npcap was not found ^(no wpcap.dll in %SystemRoot%\System32\Npcap or System32^): install it from https://npcap.com ^(tick "WinPcap API-compatible Mode"^); --type udp runs without it 1>&2
    exit /b 1
  )
)

rem The same JVM settings as bin/rsock (see the reasons there).
"%JAVA%" -XX:+UseSerialGC -Xms16m -Xmx512m -XX:+ExitOnOutOfMemoryError -Xshare:auto %PCAP_OPTS% %RSOCK_OPTS% -Drsock.home="%RSOCK_HOME%" -cp "%RSOCK_HOME%\lib\*" io.rsock.core.Main %*
exit /b %ERRORLEVEL%
