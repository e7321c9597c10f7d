mkdir -p ~/.m2/repository && cp -rn "$RSOCK/sdk/repository/." ~/.m2/repository/
mvn -o archetype:generate -DarchetypeGroupId=io.rsock -DarchetypeArtifactId=rsock-plugin-archetype \
    -DarchetypeVersion=0.1.0 -DgroupId=org.example -DartifactId=plugin-xor -Dpackage=org.example.xor \
    -DinteractiveMode=false
cd plugin-xor
mvn -o verify
cp target/plugin-xor-1.0-SNAPSHOT.jar "$RSOCK/plugins/"
"$RSOCK/bin/rsock" plugins
