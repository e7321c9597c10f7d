@echo off
rem rsock launcher for Windows (needs Npcap for the raw transports; untested, see README).
setlocal
set RSOCK_HOME=%~dp0..
if defined JAVA_HOME (set JAVA="%JAVA_HOME%\bin\java.exe") else (set JAVA=java)
%JAVA% -XX:+UseG1GC -XX:MaxGCPauseMillis=5 -Xms32m -Xmx512m %RSOCK_OPTS% -Drsock.home="%RSOCK_HOME%" -cp "%RSOCK_HOME%\lib\*" io.rsock.core.Main %*
